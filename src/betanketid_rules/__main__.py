"""``python -m betanketid_rules``."""

from betanketid_rules._cli import run

if __name__ == "__main__":
    run()
