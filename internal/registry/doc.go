// Package registry maps the names the command line and the tests use to
// constructors: methods ("eg", "og", …) with their per-iteration cost and the
// problems their theory covers, built-in problems ("rps",
// "bilinear:n=10,seed=1", …) with their known answers, and problem files
// (.json). It is the one place where strings are parsed into typed
// configuration; the conformance test runs every method on every problem it
// covers from here.
package registry
