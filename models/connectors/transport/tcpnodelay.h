#pragma once

#include <QtGlobal>

/**
 * Nagle's algorithm off (TCP_NODELAY) on this process's HTTP connections.
 *
 * QNetworkAccessManager leaves Nagle's algorithm on (QHttpNetworkConnectionChannel has the
 * option commented out) and writes a request body in pieces of 16 KB, each handed over from the
 * reply's thread. With Nagle on, a piece smaller than a segment waits until the server has
 * acknowledged the one before, and servers delay acknowledgements (Linux by up to 40 ms). On
 * the loopback, where a segment can hold 64 KB, every piece is smaller than a segment: a
 * 150 KB Mailchimp batch took 9.6 ms on average, and up to 46 ms, to reach a local server,
 * against 1.8 ms with Nagle off. Clients built for throughput (curl, browsers) turn it off.
 *
 * Qt gives no access to QNetworkAccessManager's sockets, so this finds them among the
 * process's open files (/proc/self/fd): the TCP sockets connected to the given remote port
 * (and not themselves bound to it, which leaves out a server's side of its connections in the
 * same process). Elsewhere than Linux it does nothing.
 */
namespace TcpNoDelay {

/// Turns Nagle's algorithm off on every TCP connection of this process to remote port `port`
/// that still has it on. Returns how many it turned off. Thread-safe; a socket closed
/// meanwhile is skipped.
int disableNagleOnConnectionsTo(quint16 port);

} // namespace TcpNoDelay
