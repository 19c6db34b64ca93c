// Curl module.
