"""Exports of the tables for tools the library does not control: DMN 1.3 XML for decision-table
tools (``_dmn``, with FEEL text from ``_feel``), and the decision relation for data platforms
(``_relation``). Both walk the tables through the shared model in ``_tables``."""
