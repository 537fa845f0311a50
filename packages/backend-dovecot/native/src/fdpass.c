/*
 * pd_fdpass: the socket calls Node's core does not offer on arbitrary Unix sockets, for the Dovecot
 * login hand-off (packages/backend-dovecot/src/handoff):
 *
 *   peerCredentials(socketFd) -> { pid, uid, gid }
 *       getsockopt(SO_PEERCRED) of a connected Unix socket (socket(7)).
 *   loginRequest(socketPath, data, fdToSend, timeoutMs, callback(code, message, reply))
 *       the whole client side of one hand-off, as master_auth_request_full() does it
 *       (src/lib-master/master-auth.c): a new Unix connection to the login socket, `data` with
 *       `fdToSend` as SCM_RIGHTS ancillary data in one sendmsg(2) (unix(7); Dovecot's fd_send(),
 *       src/lib/fdpass.c), then the reply read on Node's event loop (a uv_poll_t on our
 *       own descriptor) until `reply` has its 12 bytes, the peer closes, or `timeoutMs` passes; the
 *       connection is closed before `callback` runs. A failure before anything was sent is thrown
 *       (the request never reached Dovecot); one after it goes to `callback` with `code` set.
 *       The same work through a net.Socket cost the daemon's workers about twice the CPU (stream,
 *       event and handle machinery for a connection that lives for one request).
 *
 * Errors are thrown as JS errors whose `code` is the errno name (EAGAIN, EPIPE, ...).
 * Plain node_api.h (Node-API version 8) and libuv, no C++.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>
#include <node_api.h>
#include <uv.h>

static const char *errno_name(int err)
{
	const char *name = strerrorname_np(err);
	return name ? name : "EIO";
}

static napi_value throw_errno(napi_env env, const char *what, int err)
{
	char msg[256];
	snprintf(msg, sizeof(msg), "%s: %s", what, strerror(err));
	napi_throw_error(env, errno_name(err), msg);
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

/* One sendmsg(2) of data with fd as SCM_RIGHTS (Dovecot's fd_send()); -1 with errno on failure. */
static ssize_t send_with_fd(int sock, void *data, size_t len, int fd)
{
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
	return sent;
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

/* The reply of a login socket: struct master_auth_reply (src/lib-master/master-auth.h). */
#define LOGIN_REPLY_SIZE 12

/* One hand-off in flight: our connection, its poll and timer handles, the reply so far. */
struct login_request {
	uv_poll_t poll;
	uv_timer_t timer;
	int fd;
	int handles_open;
	int done;
	napi_env env;
	napi_ref callback;
	napi_async_context context;
	size_t got;
	unsigned char reply[LOGIN_REPLY_SIZE];
};

static void login_request_handle_closed(uv_handle_t *handle)
{
	struct login_request *req = handle->data;
	if (--req->handles_open == 0)
		free(req);
}

/* Closes the connection and the handles, then calls back: (null, null, reply) or (code, message, null). */
static void login_request_finish(struct login_request *req, const char *code, const char *message)
{
	if (req->done)
		return;
	req->done = 1;
	uv_poll_stop(&req->poll);
	uv_timer_stop(&req->timer);
	close(req->fd);
	req->fd = -1;

	napi_env env = req->env;
	napi_handle_scope scope;
	napi_open_handle_scope(env, &scope);
	napi_value callback, global, argv[3], ignored;
	napi_get_reference_value(env, req->callback, &callback);
	napi_get_global(env, &global);
	if (code) {
		napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &argv[0]);
		napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &argv[1]);
		napi_get_null(env, &argv[2]);
	} else {
		napi_get_null(env, &argv[0]);
		napi_get_null(env, &argv[1]);
		napi_create_buffer_copy(env, LOGIN_REPLY_SIZE, req->reply, NULL, &argv[2]);
	}
	/* make_callback: as for any libuv callback, process.nextTick and promise jobs run afterwards. */
	napi_make_callback(env, req->context, global, callback, 3, argv, &ignored);
	napi_delete_reference(env, req->callback);
	napi_async_destroy(env, req->context);
	napi_close_handle_scope(env, scope);

	uv_close((uv_handle_t *)&req->poll, login_request_handle_closed);
	uv_close((uv_handle_t *)&req->timer, login_request_handle_closed);
}

static void login_request_readable(uv_poll_t *poll, int status, int events)
{
	struct login_request *req = poll->data;
	(void)events;
	if (status < 0) {
		login_request_finish(req, uv_err_name(status), uv_strerror(status));
		return;
	}
	while (req->got < LOGIN_REPLY_SIZE) {
		ssize_t n = recv(req->fd, req->reply + req->got, LOGIN_REPLY_SIZE - req->got, 0);
		if (n > 0) {
			req->got += (size_t)n;
		} else if (n == 0) {
			login_request_finish(req, "ECLOSED", "the login socket was closed before the whole reply arrived");
			return;
		} else if (errno == EINTR) {
			continue;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			return;
		} else {
			login_request_finish(req, errno_name(errno), strerror(errno));
			return;
		}
	}
	login_request_finish(req, NULL, NULL);
}

static void login_request_timeout(uv_timer_t *timer)
{
	login_request_finish(timer->data, "ETIMEDOUT", "no reply from the login socket in time");
}

static napi_value login_request(napi_env env, napi_callback_info info)
{
	size_t argc = 5;
	napi_value argv[5];
	int32_t fd;
	uint32_t timeout_ms;
	void *data;
	size_t len, path_len;
	bool is_buffer = false;
	napi_valuetype callback_type;
	struct sockaddr_un addr;

	if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 5) {
		napi_throw_type_error(env, "EINVAL", "loginRequest(socketPath, data, fdToSend, timeoutMs, callback) takes 5 arguments");
		return NULL;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	/* The whole length first: a copy into sun_path would be cut to fit without saying so. */
	if (napi_get_value_string_utf8(env, argv[0], NULL, 0, &path_len) != napi_ok) {
		napi_throw_type_error(env, "EINVAL", "socketPath must be a string");
		return NULL;
	}
	if (path_len == 0 || path_len >= sizeof(addr.sun_path)) {
		napi_throw_error(env, "ENAMETOOLONG", "socketPath is empty or longer than a Unix socket address holds (107 bytes)");
		return NULL;
	}
	napi_get_value_string_utf8(env, argv[0], addr.sun_path, sizeof(addr.sun_path), &path_len);
	if (get_fd(env, argv[2], &fd) < 0)
		return NULL;
	napi_is_buffer(env, argv[1], &is_buffer);
	if (!is_buffer || napi_get_buffer_info(env, argv[1], &data, &len) != napi_ok || len == 0) {
		napi_throw_type_error(env, "EINVAL", "data must be a non-empty Buffer");
		return NULL;
	}
	if (napi_get_value_uint32(env, argv[3], &timeout_ms) != napi_ok || timeout_ms == 0) {
		napi_throw_type_error(env, "EINVAL", "timeoutMs must be a positive number");
		return NULL;
	}
	if (napi_typeof(env, argv[4], &callback_type) != napi_ok || callback_type != napi_function) {
		napi_throw_type_error(env, "EINVAL", "callback must be a function");
		return NULL;
	}
	uv_loop_t *loop;
	if (napi_get_uv_event_loop(env, &loop) != napi_ok) {
		napi_throw_error(env, "EIO", "no event loop");
		return NULL;
	}

	int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return throw_errno(env, "socket", errno);
	int r;
	do {
		r = connect(sock, (struct sockaddr *)&addr, sizeof(addr));
	} while (r < 0 && errno == EINTR);
	/* A local stream connect completes at once or fails (EAGAIN: the listen backlog is full). */
	if (r < 0) {
		int err = errno;
		close(sock);
		return throw_errno(env, "connect", err);
	}
	ssize_t sent = send_with_fd(sock, data, len, fd);
	if (sent < 0 || (size_t)sent != len) {
		int err = sent < 0 ? errno : EMSGSIZE;
		close(sock);
		return throw_errno(env, sent < 0 ? "sendmsg" : "sendmsg (short write)", err);
	}

	struct login_request *req = calloc(1, sizeof(*req));
	if (!req) {
		close(sock);
		return throw_errno(env, "calloc", ENOMEM);
	}
	req->fd = sock;
	req->env = env;
	napi_value resource_name;
	napi_create_string_utf8(env, "PigeonDeliverLoginRequest", NAPI_AUTO_LENGTH, &resource_name);
	int has_ref = napi_create_reference(env, argv[4], 1, &req->callback) == napi_ok;
	int has_context = has_ref && napi_async_init(env, NULL, resource_name, &req->context) == napi_ok;
	if (!has_context || uv_poll_init(loop, &req->poll, sock) != 0) {
		if (has_context)
			napi_async_destroy(env, req->context);
		if (has_ref)
			napi_delete_reference(env, req->callback);
		close(sock);
		free(req);
		napi_throw_error(env, "EIO", "cannot watch the login socket connection");
		return NULL;
	}
	uv_timer_init(loop, &req->timer);
	req->poll.data = req;
	req->timer.data = req;
	req->handles_open = 2;
	uv_poll_start(&req->poll, UV_READABLE | UV_DISCONNECT, login_request_readable);
	uv_timer_start(&req->timer, login_request_timeout, timeout_ms, 0);
	return NULL;
}

static napi_value init(napi_env env, napi_value exports)
{
	napi_property_descriptor props[] = {
		{ "peerCredentials", NULL, peer_credentials, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "loginRequest", NULL, login_request, NULL, NULL, NULL, napi_enumerable, NULL },
	};
	napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
	return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
