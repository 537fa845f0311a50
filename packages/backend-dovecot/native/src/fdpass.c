/*
 * pd_fdpass: the two socket calls Node's core does not offer on arbitrary Unix sockets, for the
 * Dovecot login hand-off (packages/backend-dovecot/src/handoff):
 *
 *   sendFd(socketFd, data, fdToSend) -> bytes sent
 *       one sendmsg(2) of `data` with `fdToSend` as SCM_RIGHTS ancillary data (unix(7)), exactly as
 *       Dovecot's fd_send() (src/lib/fdpass.c) does for struct master_auth_request.
 *   peerCredentials(socketFd) -> { pid, uid, gid }
 *       getsockopt(SO_PEERCRED) of a connected Unix socket (socket(7)).
 *
 * Errors are thrown as JS errors whose `code` is the errno name (EAGAIN, EPIPE, ...).
 * Plain node_api.h (Node-API version 8), no C++.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <node_api.h>

static napi_value throw_errno(napi_env env, const char *what, int err)
{
	char msg[256];
	const char *name = err == EAGAIN ? "EAGAIN" : err == EPIPE ? "EPIPE" : err == EBADF ? "EBADF" :
		err == ENOTSOCK ? "ENOTSOCK" : err == ECONNRESET ? "ECONNRESET" : err == ENOTCONN ? "ENOTCONN" :
		err == EINVAL ? "EINVAL" : err == EMSGSIZE ? "EMSGSIZE" : "EIO";
	snprintf(msg, sizeof(msg), "%s: %s", what, strerror(err));
	napi_throw_error(env, name, msg);
	return NULL;
}

static int get_fd(napi_env env, napi_value v, int32_t *out)
{
	if (napi_get_value_int32(env, v, out) != napi_ok || *out < 0) {
		napi_throw_type_error(env, "EINVAL", "expected a non-negative file descriptor number");
		return -1;
	}
	return 0;
}

static napi_value send_fd(napi_env env, napi_callback_info info)
{
	size_t argc = 3;
	napi_value argv[3];
	int32_t sock, fd;
	void *data;
	size_t len;
	bool is_buffer = false;

	if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 3) {
		napi_throw_type_error(env, "EINVAL", "sendFd(socketFd, data, fdToSend) takes 3 arguments");
		return NULL;
	}
	if (get_fd(env, argv[0], &sock) < 0 || get_fd(env, argv[2], &fd) < 0)
		return NULL;
	napi_is_buffer(env, argv[1], &is_buffer);
	if (!is_buffer || napi_get_buffer_info(env, argv[1], &data, &len) != napi_ok || len == 0) {
		napi_throw_type_error(env, "EINVAL", "data must be a non-empty Buffer");
		return NULL;
	}

	struct iovec iov = { .iov_base = data, .iov_len = len };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct msghdr msg;
	memset(&msg, 0, sizeof(msg));
	memset(&control, 0, sizeof(control));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));

	ssize_t sent;
	do {
		sent = sendmsg(sock, &msg, MSG_NOSIGNAL);
	} while (sent < 0 && errno == EINTR);
	if (sent < 0)
		return throw_errno(env, "sendmsg", errno);

	napi_value result;
	napi_create_int64(env, (int64_t)sent, &result);
	return result;
}

static napi_value peer_credentials(napi_env env, napi_callback_info info)
{
	size_t argc = 1;
	napi_value argv[1];
	int32_t sock;

	if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1) {
		napi_throw_type_error(env, "EINVAL", "peerCredentials(socketFd) takes 1 argument");
		return NULL;
	}
	if (get_fd(env, argv[0], &sock) < 0)
		return NULL;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return throw_errno(env, "getsockopt(SO_PEERCRED)", errno);

	napi_value obj, v;
	napi_create_object(env, &obj);
	napi_create_int32(env, cred.pid, &v);
	napi_set_named_property(env, obj, "pid", v);
	napi_create_uint32(env, cred.uid, &v);
	napi_set_named_property(env, obj, "uid", v);
	napi_create_uint32(env, cred.gid, &v);
	napi_set_named_property(env, obj, "gid", v);
	return obj;
}

static napi_value init(napi_env env, napi_value exports)
{
	napi_property_descriptor props[] = {
		{ "sendFd", NULL, send_fd, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "peerCredentials", NULL, peer_credentials, NULL, NULL, NULL, napi_enumerable, NULL },
	};
	napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
	return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
