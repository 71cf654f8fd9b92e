// TransferController's rules that need no platform: which runs may be approved, the stages a
// project has, and why a stage is blocked, read from runs written into the journal directly.

#include "project/projectsession.h"
#include "project/referencedata.h"
#include "store/projectstore.h"
#include "transfer/transfercontroller.h"
#include "transfer/backupformat.h"
#include "transfer/backupmanifest.h"
#include "transfer/transferjournal.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_TransferController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<ReferenceData> m_data;
    int m_project = 0;

    std::unique_ptr<ProjectSession> session()
    {
        auto store = ProjectStore::create(m_dir.filePath(u"p%1.stagecoach"_s.arg(++m_project)), u"Rules"_s);
        if (!store)
            return {};
        return std::make_unique<ProjectSession>(std::move(store).value(), &*m_data);
    }

    /// A run as the engine journals it: `counts` as StageOutcome::toJson writes them.
    static qint64 addRun(TransferJournal &j, const QString &stage, int wave, RunState state, const QJsonObject &counts)
    {
        const Result<qint64> id = j.beginRun(stage, wave, false);
        if (!id || !j.finishRun(*id, state, counts))
            return 0;
        return *id;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto data = ReferenceData::load(QStringLiteral(STAGECOACH_SOURCE_DIR) + u"/resources"_s);
        QVERIFY(data.ok());
        m_data = std::move(data).value();
    }

    void stagesFollowThePlan()
    {
        auto s = session();
        QVERIFY(s);
        // No assessment, no timeline: wave 0 and one subscriber wave.
        const QList<StageRef> stages = s->transfer()->stages();
        QCOMPARE(stages.size(), 4);
        QCOMPARE(stages.at(0).id(), u"backup"_s);
        QCOMPARE(stages.at(1).id(), u"setup"_s);
        QCOMPARE(stages.at(2).id(), u"wave-0"_s);
        QCOMPARE(stages.at(3).id(), u"wave-1"_s);
        QCOMPARE(stages.at(2).title(), u"Wave 0: suppressions"_s);
        // Nothing is running; the backup may start, the rest wait for it.
        QVERIFY(!s->transfer()->isRunning());
        QVERIFY(!s->transfer()->status(stages.at(0)).blocked.has_value());
        const StageStatus wave = s->transfer()->status(stages.at(3));
        QVERIFY(wave.blocked.has_value());
        QVERIFY2(wave.blocked->toString().contains(u"backup"_s), qPrintable(wave.blocked->toString()));
        // Starting without a target chosen says what to do instead.
        QSignalSpy failed(s->transfer(), &TransferController::failed);
        QVERIFY(s->transfer()->start(stages.at(0)));
        QCOMPARE(failed.size(), 1);
        QVERIFY(!s->transfer()->isRunning());
    }

    void stageStateChecksTheBackupAgainstItsManifest()
    {
        // On the GUI thread a stage's state compares the backup's files with the manifest instead
        // of re-reading them: a file of another size blocks the stage all the same.
        auto s = session();
        QVERIFY(s);
        const QString folder = m_dir.filePath(u"backup-%1"_s.arg(m_project));
        QVERIFY(QDir().mkpath(folder));
        BackupFileSink sink(folder, BackupFormat::kContacts);
        QVERIFY(sink.open().ok());
        SourceContact c;
        c.email = u"ann@example.com"_s;
        c.status = ContactStatus::Unsubscribed;
        QVERIFY(sink.writeLine(BackupFormat::contactJson(c)).ok());
        QVERIFY(sink.commit().ok());
        BackupManifest m;
        m.platform = u"mailchimp"_s;
        m.started = m.finished = QDateTime::currentDateTimeUtc();
        m.files.append(BackupFileEntry{sink.name(), sink.records(), sink.bytes(), sink.sha256()});
        m.contactsByStatus.insert(ContactStatus::Unsubscribed, 1);
        QFile manifest(QDir(folder).filePath(BackupManifest::kFileName));
        QVERIFY(manifest.open(QIODevice::WriteOnly));
        manifest.write(QJsonDocument(m.toJson()).toJson());
        manifest.close();
        TransferJournal j = s->transfer()->journal();
        const qint64 backup = addRun(j, u"backup"_s, 0, RunState::Finished, {{u"detail"_s, folder}, {u"total"_s, 1}});
        QVERIFY(j.approve(backup, u"ann"_s, QString()).ok());
        addRun(j, u"setup"_s, 0, RunState::Finished, {{u"detail"_s, u"7"_s}, {u"pending"_s, 0}});

        const StageRef wave0{u"suppressions"_s, 0};
        std::optional<Error> blocked = s->transfer()->status(wave0).blocked;
        QVERIFY(blocked.has_value());
        QVERIFY2(blocked->toString().contains(u"not been approved"_s), qPrintable(blocked->toString()));

        QFile contacts(QDir(folder).filePath(BackupFormat::kContacts));
        QVERIFY(contacts.open(QIODevice::Append));
        contacts.write("\n");
        contacts.close();
        blocked = s->transfer()->status(wave0).blocked;
        QVERIFY(blocked.has_value());
        QVERIFY2(blocked->toString().contains(u"not the size"_s), qPrintable(blocked->toString()));
        QCOMPARE(s->transfer()->statuses().at(2).blocked->message, blocked->message);
    }

    void approvalRules()
    {
        auto s = session();
        QVERIFY(s);
        TransferController *t = s->transfer();
        TransferJournal j = t->journal();
        const StageRef wave1{u"wave"_s, 1};
        const QString who = u"ann"_s;

        // Nothing to approve yet.
        QVERIFY(!t->approve(wave1, who, u"ok"_s).ok());

        // Stopped with records pending (a batch that failed to send): not approvable.
        addRun(j, u"wave"_s, 1, RunState::Failed,
               {{u"total"_s, 10}, {u"written"_s, 5}, {u"failed"_s, 0}, {u"pending"_s, 5}});
        Status pending = t->approve(wave1, who, u"fine"_s);
        QVERIFY(!pending.ok());
        QVERIFY2(pending.error().toString().contains(u"before every record"_s), qPrintable(pending.error().toString()));

        // Failed and never verified on the target: not approvable.
        addRun(j, u"wave"_s, 1, RunState::Failed, {{u"total"_s, 10}, {u"written"_s, 8}, {u"failed"_s, 2}, {u"pending"_s, 0}});
        Status unverified = t->approve(wave1, who, u"fine"_s);
        QVERIFY(!unverified.ok());
        QVERIFY2(unverified.error().toString().contains(u"not verified"_s), qPrintable(unverified.error().toString()));

        // A consent violation can never be approved, comment or not.
        addRun(j, u"wave"_s, 1, RunState::Failed,
               {{u"total"_s, 10}, {u"written"_s, 10}, {u"failed"_s, 0}, {u"pending"_s, 0},
                {u"foundOnTarget"_s, 10}, {u"missingOnTarget"_s, 0}, {u"consentViolations"_s, 1}});
        QVERIFY(!t->approve(wave1, who, u"we accept it"_s).ok());

        // Rejected rows, verified: approvable with a comment that says why, not without.
        const qint64 rejected = addRun(j, u"wave"_s, 1, RunState::Failed,
                                       {{u"total"_s, 10}, {u"written"_s, 8}, {u"failed"_s, 2}, {u"pending"_s, 0},
                                        {u"foundOnTarget"_s, 8}, {u"missingOnTarget"_s, 0}, {u"consentViolations"_s, 0}});
        QVERIFY(!t->approve(wave1, who, u"  "_s).ok());
        QSignalSpy changed(t, &TransferController::journalChanged);
        QVERIFY(t->approve(wave1, who, u"Two role addresses the platform refuses."_s).ok());
        QCOMPARE(changed.size(), 1);
        const Result<TransferRun> run = j.run(rejected);
        QVERIFY(run.ok());
        QCOMPARE(run->approvedBy, who);
        QCOMPARE(run->comment, u"Two role addresses the platform refuses."_s);
        QVERIFY(run->approvedAt.isValid());

        // A clean finish needs no comment.
        addRun(j, u"suppressions"_s, 0, RunState::Finished,
               {{u"total"_s, 4}, {u"written"_s, 4}, {u"failed"_s, 0}, {u"pending"_s, 0}, {u"verified"_s, true}});
        QVERIFY(t->approve(StageRef{u"suppressions"_s, 0}, who, QString()).ok());
        // A cancelled run is not an end to approve.
        addRun(j, u"setup"_s, 0, RunState::Cancelled, {{u"total"_s, 3}});
        QVERIFY(!t->approve(StageRef{u"setup"_s, 0}, who, u"x"_s).ok());
    }

    void interruptedRunsAreOffered()
    {
        auto s = session();
        QVERIFY(s);
        TransferJournal j = s->transfer()->journal();
        QVERIFY(s->transfer()->interruptedRuns().isEmpty());
        const Result<qint64> killed = j.beginRun(u"wave"_s, 1, false); // never ended: a kill
        QVERIFY(killed.ok());
        QVERIFY(j.beginRun(u"wave"_s, 2, true).ok()); // an interrupted dry run is not offered
        const qint64 paused = addRun(j, u"suppressions"_s, 0, RunState::Paused, {});
        addRun(j, u"setup"_s, 0, RunState::Cancelled, {});
        const QList<TransferRun> offered = s->transfer()->interruptedRuns();
        QCOMPARE(offered.size(), 2);
        QCOMPARE(offered.at(0).id, *killed);
        QCOMPARE(offered.at(1).id, paused);
    }
};

QTEST_GUILESS_MAIN(tst_TransferController)
#include "tst_transfercontroller.moc"
