{
  "targets": [
    {
      "target_name": "pd_crypt",
      "sources": ["src/crypt.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"],
      "libraries": ["-lcrypt"]
    }
  ]
}
