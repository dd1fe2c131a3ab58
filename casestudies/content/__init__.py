"""Content in and out of the portal: whole-content backups as JSON (`backup`) and the
network's write-ups read into case studies (`writeups`, used by `import_writeup` and
`load_demo`)."""
