#include "transfer/transfercontrol.h"

void TransferControl::pause()
{
    m_pause.store(true);
}

void TransferControl::resume()
{
    QMutexLocker lock(&m_mutex);
    m_pause.store(false);
    m_resumed.wakeAll();
}

void TransferControl::cancel()
{
    QMutexLocker lock(&m_mutex);
    m_cancel.store(true);
    m_resumed.wakeAll();
}

bool TransferControl::waitWhilePaused()
{
    QMutexLocker lock(&m_mutex);
    while (m_pause.load() && !m_cancel.load())
        m_resumed.wait(&m_mutex);
    return !m_cancel.load();
}
