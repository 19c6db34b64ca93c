// Deploy module: see the files beside this one once written.
