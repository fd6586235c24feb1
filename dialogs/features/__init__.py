"""The bot's features, one module each; `dialogs.engine` routes messages and buttons to them.

`check` holds the assessment's core (asking, storing answers, the result) that `assessment`,
`signs` (warning signs in the dialog) and the others build on; no module here imports the
engine.
"""
