/*
 * pd_crypt: the system's crypt(3) (libxcrypt's crypt_rn on Debian 12, the library Dovecot's
 * password-scheme-crypt.c calls) for @pigeondeliver/passwords (src/native-crypt.ts):
 *
 *   crypt(password, setting) -> Promise<string | null>
 *       crypt_rn(3) on libuv's thread pool (an async work item), so the hash never runs on the
 *       event loop. Resolves the full hash string, or null when crypt_rn refuses the setting or the
 *       passphrase (EINVAL, ERANGE, unsupported method).
 *   cryptSync(password, setting) -> string | null
 *       the same on the calling thread (tests, benchmarks).
 *
 * `password` is a Buffer without NUL bytes (the caller checks), `setting` a string (a stored hash or
 * a fresh salt). The copy of the password and the crypt_data scratch area are wiped after each call.
 * Plain node_api.h (Node-API version 8), no C++.
 */
#define _GNU_SOURCE
#include <crypt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <node_api.h>

/* One computation: inputs copied off the JS heap, output written by crypt_rn on a pool thread. */
struct job {
	napi_async_work work;
	napi_deferred deferred;
	char *password;
	size_t password_len;
	char *setting;
	struct crypt_data *data;
	const char *result;
};

static void wipe_free(void *p, size_t len)
{
	if (p != NULL) {
		explicit_bzero(p, len);
		free(p);
	}
}

static void job_free(struct job *job)
{
	wipe_free(job->password, job->password_len + 1);
	free(job->setting);
	wipe_free(job->data, sizeof(*job->data));
	free(job);
}

/* Copies argv[0] (Buffer) and argv[1] (string) into `job`; throws a TypeError and returns -1 if not. */
static int read_args(napi_env env, napi_callback_info info, struct job *job)
{
	size_t argc = 2;
	napi_value argv[2];
	bool is_buffer = false;
	void *bytes;
	size_t setting_len;

	if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 2) {
		napi_throw_type_error(env, "EINVAL", "crypt(password, setting) takes 2 arguments");
		return -1;
	}
	napi_is_buffer(env, argv[0], &is_buffer);
	if (!is_buffer || napi_get_buffer_info(env, argv[0], &bytes, &job->password_len) != napi_ok ||
	    memchr(bytes, '\0', job->password_len) != NULL) {
		napi_throw_type_error(env, "EINVAL", "password must be a Buffer without NUL bytes");
		return -1;
	}
	if (napi_get_value_string_latin1(env, argv[1], NULL, 0, &setting_len) != napi_ok) {
		napi_throw_type_error(env, "EINVAL", "setting must be a string");
		return -1;
	}
	job->password = malloc(job->password_len + 1);
	job->setting = malloc(setting_len + 1);
	job->data = calloc(1, sizeof(*job->data));
	if (job->password == NULL || job->setting == NULL || job->data == NULL) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		return -1;
	}
	memcpy(job->password, bytes, job->password_len);
	job->password[job->password_len] = '\0';
	napi_get_value_string_latin1(env, argv[1], job->setting, setting_len + 1, &setting_len);
	return 0;
}

static void compute(struct job *job)
{
	job->result = crypt_rn(job->password, job->setting, job->data, (int)sizeof(*job->data));
}

/* The hash as a JS string, or null when crypt_rn failed. */
static napi_value result_value(napi_env env, const struct job *job)
{
	napi_value value;
	if (job->result == NULL || job->result[0] == '*')
		napi_get_null(env, &value);
	else
		napi_create_string_latin1(env, job->result, NAPI_AUTO_LENGTH, &value);
	return value;
}

static void execute(napi_env env, void *arg)
{
	(void)env;
	compute(arg);
}

static void complete(napi_env env, napi_status status, void *arg)
{
	struct job *job = arg;
	if (status == napi_ok) {
		napi_resolve_deferred(env, job->deferred, result_value(env, job));
	} else {
		napi_value message, error;
		napi_create_string_utf8(env, "crypt work item cancelled", NAPI_AUTO_LENGTH, &message);
		napi_create_error(env, NULL, message, &error);
		napi_reject_deferred(env, job->deferred, error);
	}
	napi_delete_async_work(env, job->work);
	job_free(job);
}

/* A job holding the call's arguments, or NULL with a JavaScript exception pending. */
static struct job *job_from_args(napi_env env, napi_callback_info info)
{
	struct job *job = calloc(1, sizeof(*job));
	if (job == NULL) {
		napi_throw_error(env, "ENOMEM", "out of memory");
		return NULL;
	}
	if (read_args(env, info, job) < 0) {
		job_free(job);
		return NULL;
	}
	return job;
}

static napi_value crypt_async(napi_env env, napi_callback_info info)
{
	struct job *job = job_from_args(env, info);
	napi_value promise, name;
	if (job == NULL)
		return NULL;
	napi_create_string_utf8(env, "pd_crypt", NAPI_AUTO_LENGTH, &name);
	if (napi_create_promise(env, &job->deferred, &promise) != napi_ok ||
	    napi_create_async_work(env, NULL, name, execute, complete, job, &job->work) != napi_ok ||
	    napi_queue_async_work(env, job->work) != napi_ok) {
		job_free(job);
		napi_throw_error(env, "EIO", "cannot queue the crypt work item");
		return NULL;
	}
	return promise;
}

static napi_value crypt_sync(napi_env env, napi_callback_info info)
{
	struct job *job = job_from_args(env, info);
	napi_value value;
	if (job == NULL)
		return NULL;
	compute(job);
	value = result_value(env, job);
	job_free(job);
	return value;
}

static napi_value init(napi_env env, napi_value exports)
{
	napi_property_descriptor props[] = {
		{ "crypt", NULL, crypt_async, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "cryptSync", NULL, crypt_sync, NULL, NULL, NULL, napi_enumerable, NULL },
	};
	napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
	return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
