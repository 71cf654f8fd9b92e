#include "core/threadpriority.h"

#include <QThread>

#include <algorithm>

#ifdef Q_OS_LINUX
#include <cerrno>
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace ThreadPriority {

namespace {
thread_local bool lowered = false;
}

int currentNice()
{
#ifdef Q_OS_LINUX
    // On Linux, PRIO_PROCESS with a thread id is that thread alone (threads are tasks).
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, id_t(gettid()));
    return errno == 0 ? nice : 0;
#else
    return 0;
#endif
}

bool lowerCurrentThread()
{
    if (lowered)
        return true;
#ifdef Q_OS_LINUX
    // QThread::setPriority() does nothing here: under SCHED_OTHER every priority but Idle maps to
    // the one static priority there is; the nice level is what weighs.
    const int target = std::min(19, currentNice() + kBackgroundNice);
    if (setpriority(PRIO_PROCESS, id_t(gettid()), target) != 0)
        return false;
#else
    if (QThread *thread = QThread::currentThread())
        thread->setPriority(QThread::LowPriority);
#endif
    lowered = true;
    return true;
}

} // namespace ThreadPriority
