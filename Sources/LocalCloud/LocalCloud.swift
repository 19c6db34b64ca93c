// The local cloud module: see LocalCloud.swift once written.
