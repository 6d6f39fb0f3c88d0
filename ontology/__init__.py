"""Data package: the OWL ontology (Turtle), the CAMEO code table and canned queries."""
