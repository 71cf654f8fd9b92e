// ThreadPriority: the calling thread alone gets nicer, once, within Linux's range.
#include "core/threadpriority.h"

#include <QTest>
#include <QThread>

#include <functional>
#include <memory>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <unistd.h>
#endif

class TestThreadPriority : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void lowersTheCallingThreadOnce();
    void staysWithinTheRange();

private:
    /// Runs `work` on a new thread and waits for it.
    static void onNewThread(const std::function<void()> &work)
    {
        std::unique_ptr<QThread> thread(QThread::create(work));
        thread->start();
        QVERIFY(thread->wait(30000));
    }
};

void TestThreadPriority::init()
{
#ifndef Q_OS_LINUX
    QSKIP("Nice levels of one thread are Linux's; elsewhere lowerCurrentThread() asks for "
          "QThread::LowPriority, which this test cannot read back.");
#endif
}

void TestThreadPriority::lowersTheCallingThreadOnce()
{
    const int mainBefore = ThreadPriority::currentNice();
    int before = -100, first = -100, second = -100;
    bool ok1 = false, ok2 = false;
    onNewThread([&] {
        before = ThreadPriority::currentNice();
        ok1 = ThreadPriority::lowerCurrentThread();
        first = ThreadPriority::currentNice();
        ok2 = ThreadPriority::lowerCurrentThread();
        second = ThreadPriority::currentNice();
    });
    QVERIFY(ok1);
    QVERIFY(ok2);
    QVERIFY2(before < 19 - ThreadPriority::kBackgroundNice, "the test needs room above its nice level");
    QCOMPARE(first, before + ThreadPriority::kBackgroundNice);
    QCOMPARE(second, first); // a second call changes nothing
    QCOMPARE(ThreadPriority::currentNice(), mainBefore); // nor any other thread

    // A new thread started from this one starts where this one is.
    int fresh = -100;
    onNewThread([&] { fresh = ThreadPriority::currentNice(); });
    QCOMPARE(fresh, mainBefore);
}

void TestThreadPriority::staysWithinTheRange()
{
#ifdef Q_OS_LINUX
    int set = -100, after = -100;
    bool ok = false;
    onNewThread([&] {
        // Raising one's own nice level needs no privilege.
        if (setpriority(PRIO_PROCESS, id_t(gettid()), 17) == 0)
            set = ThreadPriority::currentNice();
        ok = ThreadPriority::lowerCurrentThread();
        after = ThreadPriority::currentNice();
    });
    QCOMPARE(set, 17);
    QVERIFY(ok);
    QCOMPARE(after, 19);
#endif
}

QTEST_GUILESS_MAIN(TestThreadPriority)
#include "tst_threadpriority.moc"
