// Blueprint module.
