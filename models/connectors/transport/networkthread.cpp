#include "connectors/transport/networkthread.h"

NetworkThread::NetworkThread(RateLimiter limiter, RetryPolicy retryPolicy)
    : m_client(new HttpClient(std::move(limiter), std::move(retryPolicy)))
{
    m_thread.setObjectName(QStringLiteral("stagecoach-network"));
    m_client->moveToThread(&m_thread);
    m_thread.start();
}

NetworkThread::~NetworkThread()
{
    // The client must die in its own thread: its network manager and replies live there.
    QMetaObject::invokeMethod(m_client, [client = m_client] { delete client; },
                              Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}
