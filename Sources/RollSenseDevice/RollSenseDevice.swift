// The serial driver (docs/ARCHITECTURE.md); it lands with the serial-driver issue.
