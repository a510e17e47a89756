"""The steps of the guided flow, one page each."""
