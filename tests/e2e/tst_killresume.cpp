// `stagecoach run` killed with SIGKILL at random points of a migration and run again until it
// finishes: the target must hold exactly the source set, each contact as ConsentMapping says,
// and the journal must show every contact written once. The sandbox runs as its own process
// (`stagecoach sandbox`), so that it outlives the killed runs as a real platform would.

#include "assessment/assessmentcontroller.h"
#include "assessment/assessmentrepository.h"
#include "connectors/connectorfactory.h"
#include "connectors/connectioncontroller.h"
#include "connectors/transport/networkthread.h"
#include "plan/plancontroller.h"
#include "project/referencedata.h"
#include "store/projectstore.h"
#include "transfer/backupcontactstream.h"
#include "transfer/transferjournal.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Endpoint
{
    QString url;
    QString key;
    QString audience;
};

template<typename T>
Result<T> wait(QFuture<Result<T>> future)
{
    future.waitForFinished(); // the sandbox is another process
    if (future.resultCount() == 0)
        return Error(u"no answer"_s);
    return future.result();
}

} // namespace

class tst_KillResume : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcess m_sandbox;
    QHash<QString, Endpoint> m_endpoints;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"DISPLAY"_s);
        env.insert(ConnectionController::keyEnvironmentVariable(TargetPlatform::Mailchimp), m_endpoints.value(u"mailchimp"_s).key);
        env.insert(ConnectionController::keyEnvironmentVariable(TargetPlatform::Klaviyo), m_endpoints.value(u"klaviyo"_s).key);
        return env;
    }

    /// A project as the wizard leaves it after Connections, Assessment (through the API), Platform
    /// choice and Timeline: the audience, its fields and Klaviyo as the target.
    QString makeProject()
    {
        auto data = ReferenceData::load(QStringLiteral(STAGECOACH_SOURCE_DIR) + u"/resources"_s);
        if (!data)
            return {};
        const QString path = m_dir.filePath(u"killed.stagecoach"_s);
        auto store = ProjectStore::create(path, u"Killed and resumed"_s);
        if (!store)
            return {};
        ProjectStore &s = *store.value();
        if (!s.setValue(ConnectionController::baseUrlKey(TargetPlatform::Mailchimp), m_endpoints.value(u"mailchimp"_s).url)
            || !s.setValue(ConnectionController::baseUrlKey(TargetPlatform::Klaviyo), m_endpoints.value(u"klaviyo"_s).url))
            return {};
        Inventory inv;
        inv.dialect = ExportDialect::Mailchimp;
        inv.total = 1500;
        inv.byStatus[size_t(ContactStatus::Subscribed)] = 250;
        inv.fields = {InventoryField{u"First Name"_s, FieldType::Text, 1, true},
                      InventoryField{u"Last Name"_s, FieldType::Text, 1, true},
                      InventoryField{u"Birthday"_s, FieldType::Birthday, 1, true},
                      InventoryField{u"OPTIN_TIME"_s, FieldType::Date, 1, false},
                      InventoryField{u"TAGS"_s, FieldType::Tags, 1, false}};
        const QString descriptor = u"api:mailchimp:"_s + m_endpoints.value(u"mailchimp"_s).audience;
        if (!AssessmentRepository(s.database()).save({descriptor}, inv, QDateTime::currentDateTimeUtc()))
            return {};
        AssessmentController assessment(&s, &data->catalog);
        PlanController plan(&s, &data->catalog, &data->checklist, &assessment);
        if (!plan.choose(u"klaviyo"_s, u"Flows"_s) || !plan.generateTimeline())
            return {};
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"DISPLAY"_s);
        m_sandbox.setProcessEnvironment(env);
        m_sandbox.start(QStringLiteral(STAGECOACH_BINARY),
                        {u"sandbox"_s, u"--seed"_s, u"demo"_s, u"--contacts"_s, u"1500"_s});
        QVERIFY(m_sandbox.waitForStarted());
        // "mailchimp <url> key <key> audience <id>", then brevo and klaviyo.
        while (m_endpoints.size() < 3) {
            QVERIFY(QTest::qWaitFor([&] { return m_sandbox.canReadLine() || m_sandbox.state() != QProcess::Running; }, 20000));
            QVERIFY(m_sandbox.state() == QProcess::Running);
            const QStringList w = QString::fromUtf8(m_sandbox.readLine()).trimmed().split(u' ', Qt::SkipEmptyParts);
            if (w.size() >= 4 && w.at(2) == u"key"_s)
                m_endpoints.insert(w.at(0), Endpoint{w.at(1), w.at(3), w.value(5)});
        }
    }

    void cleanupTestCase()
    {
        m_sandbox.terminate();
        m_sandbox.waitForFinished(5000);
    }

    void killedRunsResumeWithoutLossOrRepeat()
    {
        const QString project = makeProject();
        QVERIFY(!project.isEmpty());
        const quint32 seed = QRandomGenerator::system()->generate();
        qInfo("kill points from seed %u", seed);
        QRandomGenerator random(seed);

        int kills = 0, finishedRuns = 0;
        QByteArray lastOut, lastErr, everything;
        for (int attempt = 0; attempt < 12 && finishedRuns == 0; ++attempt) {
            QProcess run;
            run.setProcessEnvironment(environment());
            // Batches of 20: the migration has 75 of them, more than the kills below can use up
            // (at most 9 batches each after the first, which is killed within a second), so every
            // kill lands before the run ends.
            run.start(QStringLiteral(STAGECOACH_BINARY), {u"run"_s, project, u"--yes"_s, u"--batch-size"_s, u"20"_s});
            QVERIFY(run.waitForStarted());
            QByteArray out;
            if (kills < 5) {
                // Kill at a random point: some time into the run, or after a random number of
                // batches journaled (so that most kills land inside a wave).
                const bool byBatches = kills > 0;
                const int batches = random.bounded(1, 10);
                const int ms = random.bounded(100, 1000);
                QElapsedTimer clock;
                clock.start();
                while (run.state() == QProcess::Running) {
                    run.waitForReadyRead(20);
                    out += run.readAllStandardOutput();
                    if (byBatches ? out.count("Batch ") >= batches : clock.elapsed() >= ms)
                        break;
                }
                if (run.state() == QProcess::Running) {
                    run.kill(); // SIGKILL: no clean-up of any kind
                    run.waitForFinished(5000);
                    everything += out + run.readAllStandardOutput();
                    ++kills;
                    qInfo("killed run %d after %s", attempt + 1,
                          byBatches ? qPrintable(u"%1 batches"_s.arg(batches)) : qPrintable(u"%1 ms"_s.arg(ms)));
                    continue;
                }
            }
            if (run.state() != QProcess::NotRunning) // it may have ended while being watched
                QVERIFY(run.waitForFinished(240000));
            lastOut = out + run.readAllStandardOutput();
            lastErr = run.readAllStandardError();
            everything += lastOut;
            QVERIFY2(run.exitStatus() == QProcess::NormalExit && run.exitCode() == 0, lastErr.constData());
            ++finishedRuns;
        }
        QCOMPARE(finishedRuns, 1);
        qInfo("%lld resumed runs, %lld batches sent again after a kill", everything.count("Continuing the run"),
              everything.count("were planned and not completed") + everything.count("was planned and not completed"));
        QVERIFY(kills >= 3);
        QVERIFY2(lastOut.contains("Wave 0"), lastOut.constData());

        // The source as backed up, and what each contact must become on Klaviyo.
        ThreadConnection c(project);
        TransferJournal journal(c.database());
        const auto backups = journal.runs(u"backup"_s);
        QVERIFY(backups.ok() && !backups->isEmpty());
        BackupContactStream stream(backups->constLast().counts.value(u"detail"_s).toString());
        QVERIFY(stream.open().ok());
        QHash<QString, ContactWrite> expected;
        for (;;) {
            auto next = stream.next();
            QVERIFY(next.ok());
            if (!next->has_value())
                break;
            const SourceContact &s = **next;
            const ContactWrite w = ConsentMapping::map(s.status, s.consent, TargetPlatform::Klaviyo);
            if (w.wave != WriteWave::Skip)
                expected.insert(s.email.toLower(), w);
        }
        QCOMPARE(expected.size(), 1500);

        // The target holds exactly that set, each as expected.
        NetworkThread network;
        const Endpoint k = m_endpoints.value(u"klaviyo"_s);
        auto target = ConnectorFactory::target(ConnectionSettings{TargetPlatform::Klaviyo, k.key, QUrl(k.url)}, network.client());
        QHash<QString, ContactStatus> onTarget;
        ContactQuery q;
        do {
            const auto page = wait(target->readContacts({}, q));
            QVERIFY2(page.ok(), qPrintable(page.ok() ? QString() : page.error().toString()));
            for (const TargetContactRecord &r : page->contacts) {
                QVERIFY2(!onTarget.contains(r.email.toLower()), qPrintable(r.email)); // one profile each
                onTarget.insert(r.email.toLower(), ConsentMapping::statusOnTarget(r.state));
            }
            q.cursor = page->next;
        } while (!q.cursor.isEmpty());
        QCOMPARE(QSet<QString>(onTarget.keyBegin(), onTarget.keyEnd()),
                 QSet<QString>(expected.keyBegin(), expected.keyEnd()));
        for (auto it = expected.cbegin(); it != expected.cend(); ++it)
            QCOMPARE(onTarget.value(it.key()), it->expectedOnTarget.value());

        // The journal: each wave stage has one run, every contact written exactly once.
        const auto runs = journal.runs();
        QVERIFY(runs.ok());
        qint64 written = 0;
        QSet<QString> waveStages;
        for (const TransferRun &r : runs.value()) {
            if (r.stage != u"suppressions"_s && r.stage != u"wave"_s)
                continue;
            const QString id = u"%1-%2"_s.arg(r.stage).arg(r.wave);
            QVERIFY2(!waveStages.contains(id), qPrintable(id)); // resumed, never started afresh
            waveStages.insert(id);
            QCOMPARE(r.state, RunState::Finished);
            QCOMPARE(journal.failedCount(r.id).value(), qint64(0));
            written += journal.writtenCount(r.id).value();
        }
        QCOMPARE(written, qint64(expected.size()));
    }
};

QTEST_GUILESS_MAIN(tst_KillResume)
#include "tst_killresume.moc"
