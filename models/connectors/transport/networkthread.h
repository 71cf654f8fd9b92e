#pragma once

#include "connectors/transport/httpclient.h"

#include <QThread>

/**
 * A worker thread with its own event loop that owns one HttpClient: the way the GUI, the
 * assessment and the transfer engine reach the platforms without blocking the thread they run
 * on. Destroying it aborts what is in flight (the open futures get "cancelled") and joins the
 * thread.
 */
class NetworkThread
{
public:
    explicit NetworkThread(RateLimiter limiter = RateLimiter::withPlatformDefaults(),
                           RetryPolicy retryPolicy = RetryPolicy());
    ~NetworkThread();
    NetworkThread(const NetworkThread &) = delete;
    NetworkThread &operator=(const NetworkThread &) = delete;

    HttpClient &client() { return *m_client; }

private:
    QThread m_thread;
    HttpClient *m_client = nullptr;
};
