#include "connectors/transport/tcpnodelay.h"

#include <QLoggingCategory>

#ifdef Q_OS_LINUX
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstdlib>
#include <functional>
#endif

Q_DECLARE_LOGGING_CATEGORY(lcTransport)

namespace TcpNoDelay {

#ifdef Q_OS_LINUX
namespace {

/// The port of an IPv4 or IPv6 address; 0 for any other family.
quint16 portOf(const sockaddr_storage &address)
{
    if (address.ss_family == AF_INET)
        return ntohs(reinterpret_cast<const sockaddr_in &>(address).sin_port);
    if (address.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6 &>(address).sin6_port);
    return 0;
}

struct TcpSocket
{
    int fd;
    quint16 localPort;
    quint16 remotePort; ///< 0 while not connected
};

/// Calls `visit` for each TCP socket among the process's open files.
void forEachTcpSocket(const std::function<void(const TcpSocket &)> &visit)
{
    DIR *dir = opendir("/proc/self/fd");
    if (!dir) {
        qCDebug(lcTransport) << "no /proc/self/fd: connections keep Nagle's algorithm";
        return;
    }
    const int own = dirfd(dir);
    while (const dirent *entry = readdir(dir)) {
        char *end = nullptr;
        const long n = std::strtol(entry->d_name, &end, 10);
        if (end == entry->d_name || *end != '\0' || n == own)
            continue;
        const int fd = int(n);
        struct stat status{};
        if (fstat(fd, &status) != 0 || !S_ISSOCK(status.st_mode))
            continue;
        int type = 0;
        socklen_t length = sizeof type;
        if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0 || type != SOCK_STREAM)
            continue;
        sockaddr_storage local{};
        length = sizeof local;
        if (getsockname(fd, reinterpret_cast<sockaddr *>(&local), &length) != 0)
            continue;
        const quint16 localPort = portOf(local);
        if (localPort == 0)
            continue; // not IP (a Unix socket), or not bound yet
        sockaddr_storage remote{};
        length = sizeof remote;
        const quint16 remotePort
            = getpeername(fd, reinterpret_cast<sockaddr *>(&remote), &length) == 0 ? portOf(remote)
                                                                                    : 0;
        visit(TcpSocket{fd, localPort, remotePort});
    }
    closedir(dir);
}

bool nagleOff(int fd)
{
    int on = 0;
    socklen_t length = sizeof on;
    return getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, &length) == 0 && on != 0;
}

} // namespace

int disableNagleOnConnectionsTo(quint16 port)
{
    int changed = 0;
    forEachTcpSocket([&](const TcpSocket &s) {
        if (s.remotePort != port || s.localPort == port || nagleOff(s.fd))
            return;
        const int on = 1;
        if (setsockopt(s.fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) == 0)
            ++changed;
    });
    if (changed > 0)
        qCDebug(lcTransport) << "Nagle's algorithm off on" << changed << "connections to port" << port;
    return changed;
}

#else

int disableNagleOnConnectionsTo(quint16)
{
    return 0;
}
#endif

} // namespace TcpNoDelay
