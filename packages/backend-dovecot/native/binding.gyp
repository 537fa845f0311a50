{
  "targets": [
    {
      "target_name": "pd_fdpass",
      "sources": ["src/fdpass.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"]
    }
  ]
}
