// LosslessJSON module.
