"""The implementation of :mod:`betanketid_rules.sphinx`, one module per concern.

``_table_set`` (the table set a project documents), ``_domain`` (the ``betanketid`` domain:
anchors and cross-references), ``_nodes`` (small docutils node builders), ``_citations``
(a row's citations), ``_renderer`` (table versions and families, and the directives' base),
``_diff`` (a semantic diff as nodes), one module per page kind (``_tables_page``,
``_sources``, ``_open_questions``, ``_decision_changes``, ``_social_services``,
``_schema_fields``, ``_summary``, ``_console``), and ``_setup`` (configuration, registration
and the stylesheet ``static/betanketid.css``).
"""
