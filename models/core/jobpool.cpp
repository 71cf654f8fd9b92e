#include "core/jobpool.h"

#include <QThread>
#include <QThreadPool>

QThreadPool *jobPool()
{
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool;
        p->setObjectName(QStringLiteral("stagecoach-jobs"));
        p->setMaxThreadCount(qMax(2, QThread::idealThreadCount()));
        return p;
    }();
    return pool;
}
