"""Keys: the action registry (`registry`, no Textual) and the bindings built from it (`bindings`)."""
