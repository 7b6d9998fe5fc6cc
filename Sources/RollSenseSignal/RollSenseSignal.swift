// The Signal core (docs/ARCHITECTURE.md); its stages land with the signal-core issue.
