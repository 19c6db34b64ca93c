// SigV4 module.
