// Git module.
