"""Qt windows, dialogs and item models: the only package that imports Qt."""
