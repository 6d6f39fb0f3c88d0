"""`python -m kg`: the same command line as `kg`."""
from .cli import main

if __name__ == "__main__":
    main(prog_name="kg")
