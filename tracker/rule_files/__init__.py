"""The schemas of the rule files an analyst edits, one module per file: rules.toml
(`rules`), commitments.toml (`commitments`), topics.toml (`topics`), targets.toml (`targets`)
and corrections.toml (`corrections`). Each option is a typed field with its default and a
docstring saying what it does; `validation` reads a file against its schema.
"""
