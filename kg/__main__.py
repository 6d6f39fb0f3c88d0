"""`python -m kg`: the same command line as `kg`."""
from kg.cli import run

if __name__ == "__main__":
    run()
