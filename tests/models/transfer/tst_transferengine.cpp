// The transfer engine end to end over real HTTP against the sandboxes (on their own thread, so
// the engine may block here as it does on its worker): backup -> setup -> wave 0 -> waves into
// Brevo and into Klaviyo with every source status; gates; dry runs; pause, resume and cancel;
// faults; rejected rows retried after the mapping is fixed.

#include "connectors/connectorfactory.h"
#include "connectors/fieldmapping.h"
#include "connectors/transport/networkthread.h"
#include "core/threadpriority.h"
#include "sandbox/brevosandbox.h"
#include "sandbox/klaviyosandbox.h"
#include "sandbox/mailchimpsandbox.h"
#include "sandbox/sandboxhost.h"
#include "store/projectstore.h"
#include "transfer/backupcontactstream.h"
#include "transfer/transferengine.h"
#include "transfer/transferjournal.h"
#include "transfer/transfermemo.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QMutex>
#include <QSet>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <functional>
#include <tuple>

using namespace Qt::StringLiterals;

namespace {

template<typename T>
Result<T> wait(QFuture<Result<T>> future)
{
    future.waitForFinished(); // the sandbox serves from its own thread
    if (future.resultCount() == 0)
        return Error(u"no answer"_s);
    return future.result();
}

RetrySettings quickRetries()
{
    RetrySettings s;
    s.maxAttempts = 8;
    s.baseDelayMs = 5;
    s.maxDelayMs = 40;
    s.maxServerDelayMs = 2000;
    return s;
}

/// What the demo audience's fields become, as the assessment names them.
QList<InventoryField> demoFields()
{
    return {InventoryField{u"First Name"_s, FieldType::Text, 1, true},
            InventoryField{u"Last Name"_s, FieldType::Text, 1, true},
            InventoryField{u"Birthday"_s, FieldType::Birthday, 1, true},
            InventoryField{u"Phone Number"_s, FieldType::Phone, 1, true},
            InventoryField{u"OPTIN_TIME"_s, FieldType::Date, 1, false},
            InventoryField{u"OPTIN_IP"_s, FieldType::Text, 1, false},
            InventoryField{u"CONFIRM_TIME"_s, FieldType::Date, 1, false},
            InventoryField{u"TAGS"_s, FieldType::Tags, 1, false}};
}

/// A stage run on a pool thread with its progress collected. Leaving the scope (also after a failed
/// check) cancels it, runs `beforeWait` (e.g. releasing answers the sandbox holds) and waits for
/// it, so that the engine never outlives the test's state.
class StageInBackground
{
public:
    StageInBackground(TransferEngine &engine, const QString &id, std::function<void()> beforeWait = {})
        : m_beforeWait(std::move(beforeWait))
    {
        m_observer.progress = [this](const TransferProgress &p) {
            QMutexLocker lock(&m_mutex);
            m_progress.append(p);
        };
        job = QtConcurrent::run([this, &engine, request = StageRequest{*StageRef::fromId(id), false}] {
            return engine.run(request, control, m_observer);
        });
    }
    ~StageInBackground()
    {
        control.cancel();
        if (m_beforeWait)
            m_beforeWait();
        job.waitForFinished();
    }
    StageInBackground(const StageInBackground &) = delete;
    StageInBackground &operator=(const StageInBackground &) = delete;

    TransferProgress last()
    {
        QMutexLocker lock(&m_mutex);
        return m_progress.isEmpty() ? TransferProgress{} : m_progress.constLast();
    }

    TransferControl control;
    QFuture<Result<StageOutcome>> job;

private:
    QMutex m_mutex;
    QList<TransferProgress> m_progress;
    TransferObserver m_observer;
    std::function<void()> m_beforeWait;
};

/// The addresses of a Klaviyo bulk import job the sandbox received (lower-cased); empty for any
/// other request.
QSet<QString> importedEmails(const SandboxRequest &r)
{
    QSet<QString> out;
    if (r.method != "POST" || !r.path.endsWith(u"/profile-bulk-import-jobs"_s))
        return out;
    const QJsonArray profiles = QJsonDocument::fromJson(r.body)
                                    .object()
                                    .value(u"data"_s)
                                    .toObject()
                                    .value(u"attributes"_s)
                                    .toObject()
                                    .value(u"profiles"_s)
                                    .toObject()
                                    .value(u"data"_s)
                                    .toArray();
    for (const QJsonValue &p : profiles)
        out.insert(p.toObject().value(u"attributes"_s).toObject().value(u"email"_s).toString().toLower());
    return out;
}

/// The addresses of a Mailchimp batch subscribe (POST /lists/{id}) the sandbox received.
QSet<QString> subscribedEmails(const SandboxRequest &r, const QString &listPath)
{
    QSet<QString> out;
    if (r.method != "POST" || r.path != listPath)
        return out;
    const QJsonArray members = QJsonDocument::fromJson(r.body).object().value(u"members"_s).toArray();
    for (const QJsonValue &m : members)
        out.insert(m.toObject().value(u"email_address"_s).toString().toLower());
    return out;
}

/// What a test's hold filter saw and held, shared with the sandbox thread.
struct Holding
{
    QMutex mutex;
    bool armed = false;             ///< hold batches' requests
    int skip = 0;                   ///< once armed, let this many batches' requests through first
    int batches = 0;                ///< how many batches to hold then
    QList<QSet<QString>> held;      ///< the addresses of each held request, in arrival order
    QHash<QString, int> sent;       ///< address -> write requests that carried it

    QHash<QString, int> sentSoFar()
    {
        QMutexLocker lock(&mutex);
        return sent;
    }
};

/// The sandbox's hold filter for `holding`: counts each write request's addresses (`emailsOf`;
/// empty for any other request) and, once armed, holds the batches Holding says.
SandboxServer::HoldFilter holdFilter(const std::shared_ptr<Holding> &holding,
                                     std::function<QSet<QString>(const SandboxRequest &)> emailsOf)
{
    return [holding, emailsOf = std::move(emailsOf)](const SandboxRequest &r) {
        const QSet<QString> emails = emailsOf(r);
        QMutexLocker lock(&holding->mutex);
        for (const QString &e : emails)
            ++holding->sent[e];
        if (emails.isEmpty() || !holding->armed || holding->held.size() >= holding->batches)
            return false;
        if (holding->skip > 0) {
            --holding->skip;
            return false;
        }
        holding->held.append(emails);
        return true;
    };
}

} // namespace

class tst_TransferEngine : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SandboxHost> m_host;
    std::unique_ptr<NetworkThread> m_network;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_project;
    /// One per test, as the TransferController keeps one for the project it has open.
    std::shared_ptr<TransferMemo> m_memo;

    void startHost(int contacts, SandboxFaults faults = {})
    {
        m_network.reset();
        m_host = std::make_unique<SandboxHost>();
        SandboxHostOptions options;
        options.contacts = contacts;
        options.faults = faults;
        QVERIFY(m_host->start(options).ok());
        m_network = std::make_unique<NetworkThread>(RateLimiter::withPlatformDefaults(), RetryPolicy(quickRetries()));
        m_host->inspect([](MailchimpSandbox &, BrevoSandbox &brevo, KlaviyoSandbox &klaviyo) {
            brevo.setImportPolls(0);
            klaviyo.setImportJobPolls(0);
        });
    }

    ConnectionSettings settings(TargetPlatform p) const
    {
        const auto e = m_host->endpoint(p);
        return ConnectionSettings{p, e ? e->apiKey : QString(), e ? e->apiRoot : QUrl()};
    }

    TransferConfig config(TargetPlatform target, bool autoApprove = true) const
    {
        TransferConfig c;
        c.projectPath = m_project;
        c.source = settings(TargetPlatform::Mailchimp);
        c.audienceId = m_host->endpoint(TargetPlatform::Mailchimp)->audienceId;
        c.target = settings(target);
        c.listName = u"Migration"_s;
        c.mapping = FieldMapping::suggest(demoFields(), target);
        c.waves = {WavePlan{0, 0, {}}, WavePlan{1, 60, {}}, WavePlan{2, 0, {}}};
        c.autoApprove = autoApprove;
        c.approver = u"test"_s;
        c.memo = m_memo;
        return c;
    }

    static Result<StageOutcome> run(TransferEngine &engine, const QString &id, bool dryRun = false)
    {
        TransferControl control;
        return engine.run(StageRequest{*StageRef::fromId(id), dryRun}, control);
    }

    /// The source as the backup holds it: what every check compares against.
    QList<SourceContact> backedUp() const
    {
        ThreadConnection c(m_project);
        TransferJournal journal(c.database());
        const auto runs = journal.runs(u"backup"_s);
        QList<SourceContact> out;
        if (!runs || runs->isEmpty())
            return out;
        BackupContactStream stream(runs->constLast().counts.value(u"detail"_s).toString());
        if (!stream.open())
            return out;
        for (;;) {
            auto next = stream.next();
            if (!next || !next->has_value())
                break;
            out.append(**next);
        }
        return out;
    }

    /// Every contact on the target as its connector reads it back (Klaviyo: the account).
    QHash<QString, TargetContactRecord> targetContacts(TargetPlatform target, const QString &listId)
    {
        std::unique_ptr<TargetConnector> t = ConnectorFactory::target(settings(target), m_network->client());
        QHash<QString, TargetContactRecord> out;
        ContactQuery q;
        do {
            const auto page = wait(t->readContacts(target == TargetPlatform::Klaviyo ? QString() : listId, q));
            if (!page)
                return {};
            for (const TargetContactRecord &r : page->contacts)
                out.insert(r.email.toLower(), r);
            q.cursor = page->next;
        } while (!q.cursor.isEmpty());
        return out;
    }

    /// The sandbox holds `held` answers, has no other answer on its way, and received nothing
    /// for 300 ms: every client request not held has been answered.
    bool quiet(TargetPlatform platform, int held)
    {
        const int before = m_host->requestCount(platform);
        if (m_host->heldCount(platform) != held || m_host->inFlight(platform) != 0)
            return false;
        QThread::msleep(300);
        return m_host->requestCount(platform) == before && m_host->inFlight(platform) == 0
               && m_host->heldCount(platform) == held;
    }

    /// A Klaviyo engine in batches of 20 against 600 contacts, answers `latencyMs` late, through
    /// wave 1 (wave 2 next). No rate limits: the tests wait for the sandbox to go quiet, which a
    /// request waiting in the client's limiter would fake.
    bool klaviyoAtWave2(int latencyMs, std::unique_ptr<TransferEngine> &engine)
    {
        SandboxFaults slow;
        slow.latencyMs = latencyMs;
        startHost(600, slow);
        m_network = std::make_unique<NetworkThread>(RateLimiter(), RetryPolicy(quickRetries()));
        TransferConfig cfg = config(TargetPlatform::Klaviyo);
        cfg.batchSize = 20;
        engine = std::make_unique<TransferEngine>(cfg, m_network->client());
        for (const QString &id : {u"backup"_s, u"setup"_s, u"wave-0"_s, u"wave-1"_s}) {
            if (!run(*engine, id).ok())
                return false;
        }
        return true;
    }

    /// (batches of the run, batches done, sum of their written counts) as the journal has them.
    std::tuple<int, int, qint64> batchesOf(qint64 runId)
    {
        ThreadConnection c(m_project);
        QSqlQuery q(c.database());
        q.prepare(u"SELECT COUNT(*), SUM(state = 'done'), SUM(written) FROM transfer_batches WHERE run_id = ?"_s);
        q.addBindValue(runId);
        if (!q.exec() || !q.next())
            return {-1, -1, -1};
        return {q.value(0).toInt(), q.value(1).toInt(), q.value(2).toLongLong()};
    }

    /// The addresses the journal has as written by the run (lower-cased).
    QSet<QString> writtenEmails(qint64 runId)
    {
        ThreadConnection c(m_project);
        QSqlQuery q(c.database());
        q.prepare(u"SELECT email FROM transfer_records WHERE run_id = ? AND outcome = 'written'"_s);
        q.addBindValue(runId);
        QSet<QString> out;
        if (q.exec()) {
            while (q.next())
                out.insert(q.value(0).toString().toLower());
        }
        return out;
    }

    QString listIdOf(TransferJournal &journal)
    {
        const auto runs = journal.runs(u"setup"_s);
        return runs && !runs->isEmpty() ? runs->constLast().counts.value(u"detail"_s).toString() : QString();
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_project = m_dir->filePath(u"engine.stagecoach"_s);
        m_memo = std::make_shared<TransferMemo>();
        auto store = ProjectStore::create(m_project, u"Engine test"_s);
        QVERIFY(store.ok());
    }

    void cleanup()
    {
        m_network.reset();
        m_host.reset();
        m_dir.reset();
    }

    void runsOnALowerPriority()
    {
#ifndef Q_OS_LINUX
        QSKIP("Nice levels of one thread are Linux's; elsewhere the engine asks for "
              "QThread::LowPriority, which this test cannot read back.");
#endif
        startHost(10);
        TransferEngine engine(config(TargetPlatform::Brevo), m_network->client());
        const int mainBefore = ThreadPriority::currentNice();
        int before = -100, after = -100;
        std::optional<Result<StageOutcome>> o;
        std::unique_ptr<QThread> worker(QThread::create([&] {
            before = ThreadPriority::currentNice();
            TransferControl control;
            o = engine.run(StageRequest{*StageRef::fromId(u"backup"_s), false}, control);
            after = ThreadPriority::currentNice();
        }));
        worker->start();
        QVERIFY(worker->wait(120000));
        QVERIFY(o && o->ok());
        QCOMPARE((*o)->state, RunState::Finished);
        QCOMPARE(after, std::min(19, before + ThreadPriority::kBackgroundNice));
        QCOMPARE(ThreadPriority::currentNice(), mainBefore); // the thread that asked is as it was
    }

    void migratesEveryStatus_data()
    {
        QTest::addColumn<TargetPlatform>("target");
        QTest::newRow("brevo") << TargetPlatform::Brevo;
        QTest::newRow("klaviyo") << TargetPlatform::Klaviyo;
    }

    void migratesEveryStatus()
    {
        QFETCH(TargetPlatform, target);
        startHost(600);
        TransferEngine engine(config(target), m_network->client());
        QList<StageOutcome> outcomes;
        for (const QString &id : {u"backup"_s, u"setup"_s, u"wave-0"_s, u"wave-1"_s, u"wave-2"_s}) {
            const Result<StageOutcome> o = run(engine, id);
            QVERIFY2(o.ok(), qPrintable(o.ok() ? QString() : o.error().toString()));
            QVERIFY2(o->state == RunState::Finished, qPrintable(o->summary()));
            outcomes.append(*o);
        }
        QCOMPARE(outcomes.at(0).total, qint64(600));
        QVERIFY(outcomes.at(0).verified);

        // What each contact should become, from ConsentMapping and the backup.
        const QList<SourceContact> source = backedUp();
        QCOMPARE(source.size(), 600);
        QSet<ContactStatus> statuses;
        qint64 suppressions = 0, others = 0;
        QHash<QString, ContactWrite> writes;
        for (const SourceContact &c : source) {
            statuses.insert(c.status);
            const ContactWrite w = ConsentMapping::map(c.status, c.consent, target);
            if (w.wave == WriteWave::Skip)
                continue;
            writes.insert(c.email.toLower(), w);
            (w.wave == WriteWave::Suppression ? suppressions : others) += 1;
        }
        // The demo audience has every status Mailchimp knows.
        for (ContactStatus s : {ContactStatus::Subscribed, ContactStatus::Unsubscribed, ContactStatus::Cleaned,
                                ContactStatus::Complained, ContactStatus::Pending, ContactStatus::Transactional})
            QVERIFY2(statuses.contains(s), qPrintable(ContactStatuses::key(s)));
        QCOMPARE(outcomes.at(2).written, suppressions);
        QCOMPARE(outcomes.at(3).written + outcomes.at(4).written, others);
        QCOMPARE(outcomes.at(3).total, qint64(60)); // the planned size of the first wave (most engaged)
        for (int i = 2; i < 5; ++i) {
            QCOMPARE(outcomes.at(i).failed, qint64(0));
            QVERIFY(outcomes.at(i).verified);
            QCOMPARE(outcomes.at(i).consentViolations, qint64(0));
            QCOMPARE(outcomes.at(i).foundOnTarget, outcomes.at(i).written);
        }

        // The target holds exactly the contacts written, each as ConsentMapping says.
        ThreadConnection c(m_project);
        TransferJournal journal(c.database());
        const QHash<QString, TargetContactRecord> onTarget = targetContacts(target, listIdOf(journal));
        QCOMPARE(onTarget.size(), writes.size());
        for (auto it = writes.cbegin(); it != writes.cend(); ++it) {
            QVERIFY2(onTarget.contains(it.key()), qPrintable(it.key()));
            const ContactStatus back = ConsentMapping::statusOnTarget(onTarget.value(it.key()).state);
            QCOMPARE(back, it->expectedOnTarget.value());
            QVERIFY(!ConsentMapping::isConsentViolation(it->source, back));
        }

        // Suppressions landed before any subscriber: the target's own creation times.
        QDateTime lastSuppression, firstOther;
        QStringList doubleOptIns;
        m_host->inspect([&](MailchimpSandbox &, BrevoSandbox &brevo, KlaviyoSandbox &klaviyo) {
            if (target == TargetPlatform::Brevo) {
                for (const BrevoContact &bc : brevo.contacts()) {
                    const bool suppressed = writes.value(bc.email).wave == WriteWave::Suppression;
                    if (suppressed && (!lastSuppression.isValid() || bc.createdAt > lastSuppression))
                        lastSuppression = bc.createdAt;
                    if (!suppressed && (!firstOther.isValid() || bc.createdAt < firstOther))
                        firstOther = bc.createdAt;
                }
            } else {
                for (const QString &email : writes.keys()) {
                    const KlaviyoProfile *p = klaviyo.profileByEmail(email);
                    if (!p)
                        continue;
                    const bool suppressed = writes.value(email).wave == WriteWave::Suppression;
                    if (suppressed && (!lastSuppression.isValid() || p->created > lastSuppression))
                        lastSuppression = p->created;
                    if (!suppressed && (!firstOther.isValid() || p->created < firstOther))
                        firstOther = p->created;
                }
                doubleOptIns = klaviyo.doubleOptInsSent();
            }
        });
        QVERIFY(lastSuppression.isValid() && firstOther.isValid());
        QVERIFY2(lastSuppression <= firstOther,
                 qPrintable(lastSuppression.toString(Qt::ISODateWithMs) + u" > "_s + firstOther.toString(Qt::ISODateWithMs)));
        QVERIFY(doubleOptIns.isEmpty());

        // Every stage is recorded with its times and who approved it (the one before each next).
        const auto runs = journal.runs();
        QVERIFY(runs.ok());
        QCOMPARE(runs->size(), 5);
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(runs->at(i).state, RunState::Finished);
            QVERIFY(runs->at(i).finishedAt.isValid());
            QCOMPARE(runs->at(i).approvedBy, u"test"_s);
        }
        // Once the waves have started, the backup they read is not replaced.
        const Result<StageOutcome> newBackup = run(engine, u"backup"_s);
        QVERIFY(!newBackup.ok());
        QVERIFY2(newBackup.error().toString().contains(u"started from the backup"_s), qPrintable(newBackup.error().toString()));
        // A finished wave is not run again.
        const Result<StageOutcome> again = run(engine, u"wave-1"_s);
        QVERIFY(again.ok());
        QCOMPARE(again->runId, outcomes.at(3).runId);
        QVERIFY(!again->message.isEmpty());
        QCOMPARE(journal.runs()->size(), 5);
    }

    void gatesKeepTheOrder()
    {
        startHost(60);
        TransferEngine manual(config(TargetPlatform::Brevo, false), m_network->client());
        // Nothing is written without a verified backup.
        Result<StageOutcome> early = run(manual, u"wave-0"_s);
        QVERIFY(!early.ok());
        QVERIFY2(early.error().toString().contains(u"backup"_s), qPrintable(early.error().toString()));
        QVERIFY(!run(manual, u"wave-1"_s, true).ok()); // a dry run of a wave reads the backup
        QVERIFY(run(manual, u"backup"_s).ok());
        // The setup needs the backup approved.
        Result<StageOutcome> setup = run(manual, u"setup"_s);
        QVERIFY(!setup.ok());
        QVERIFY2(setup.error().toString().contains(u"approved"_s), qPrintable(setup.error().toString()));
        ThreadConnection c(m_project);
        TransferJournal journal(c.database());
        QVERIFY(journal.approve(journal.runs(u"backup"_s)->constLast().id, u"ann"_s, u"ok"_s).ok());
        QVERIFY(run(manual, u"setup"_s).ok());
        // Waves go in order: wave 1 needs wave 0.
        Result<StageOutcome> wave1 = run(manual, u"wave-1"_s);
        QVERIFY(!wave1.ok());
        QVERIFY2(wave1.error().toString().contains(u"Wave 0"_s), qPrintable(wave1.error().toString()));
        // A wave that is not in the plan.
        QVERIFY(!run(manual, u"wave-7"_s).ok());
        // Corrupting the backup stops every later stage.
        const QString folder = journal.runs(u"backup"_s)->constLast().counts.value(u"detail"_s).toString();
        QFile f(folder + u"/contacts.jsonl"_s);
        QVERIFY(f.open(QIODevice::Append));
        f.write("{\"email\":\"intruder@example.com\",\"status\":\"subscribed\"}\n");
        f.close();
        QVERIFY(journal.approve(journal.runs(u"setup"_s)->constLast().id, u"ann"_s, QString()).ok());
        Result<StageOutcome> tampered = run(manual, u"wave-0"_s);
        QVERIFY(!tampered.ok());
        QVERIFY2(tampered.error().toString().contains(u"no longer verifies"_s), qPrintable(tampered.error().toString()));
        int contacts = -1;
        m_host->inspect([&](MailchimpSandbox &, BrevoSandbox &brevo, KlaviyoSandbox &) { contacts = int(brevo.contacts().size()); });
        QCOMPARE(contacts, 0);
    }

    void sessionMemoSeesAChangedBackup()
    {
        // Within a session the backup is hashed once; a later stage still refuses a backup
        // changed since, even by one byte that keeps its size.
        startHost(60);
        TransferEngine engine(config(TargetPlatform::Brevo), m_network->client());
        QVERIFY(run(engine, u"backup"_s).ok());
        QVERIFY(run(engine, u"setup"_s).ok());
        Result<StageOutcome> wave0 = run(engine, u"wave-0"_s);
        QVERIFY2(wave0.ok() && wave0->state == RunState::Finished,
                 qPrintable(wave0 ? wave0->message : wave0.error().toString()));
        ThreadConnection c(m_project);
        TransferJournal journal(c.database());
        const QString folder = journal.runs(u"backup"_s)->constLast().counts.value(u"detail"_s).toString();
        QVERIFY(m_memo->isVerified(folder));

        QFile f(folder + u"/contacts.jsonl"_s);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        const qsizetype at = bytes.indexOf("\"subscribed\"");
        QVERIFY(at > 0);
        bytes.replace(at, 12, "\"subscribeD\""); // same size: only a re-hash tells
        QVERIFY(f.seek(0));
        QCOMPARE(f.write(bytes), bytes.size());
        f.close();
        // The modification time moves on the write; make sure it differs at the file system's
        // resolution even if the write came within the same tick as the stamp.
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(5), QFileDevice::FileModificationTime));
        f.close();
        QVERIFY(!m_memo->isVerified(folder));

        Result<StageOutcome> wave1 = run(engine, u"wave-1"_s);
        QVERIFY(!wave1.ok());
        QVERIFY2(wave1.error().toString().contains(u"no longer verifies"_s), qPrintable(wave1.error().toString()));
    }

    void sessionMemoKeepsTheWaves()
    {
        // The assignment is remembered for the backup and inputs it was made from only.
        QTemporaryDir dir;
        QFile contacts(dir.filePath(u"contacts.jsonl"_s));
        QVERIFY(contacts.open(QIODevice::WriteOnly));
        contacts.write("{}\n");
        contacts.close();
        BackupManifest manifest;
        manifest.files.append(BackupFileEntry{u"contacts.jsonl"_s, 1, 3, {}});
        TransferMemo memo;
        const TransferMemo::AssignmentInputs inputs{dir.path(), {0, 10}, {u"seed@example.com"_s}, 1};
        auto made = std::make_shared<WaveAssignmentResult>();
        made->waveOf = {1};
        memo.setAssignment(inputs, made);
        QVERIFY(!memo.assignment(inputs)); // the backup was never verified in this session
        memo.setVerified(dir.path(), manifest);
        QCOMPARE(memo.assignment(inputs).get(), made.get());
        TransferMemo::AssignmentInputs other = inputs;
        other.waveSizes = {0, 11};
        QVERIFY(!memo.assignment(other));
        other = inputs;
        other.seeds.clear();
        QVERIFY(!memo.assignment(other));
        other = inputs;
        other.platform = 2;
        QVERIFY(!memo.assignment(other));
        QVERIFY(contacts.open(QIODevice::Append));
        contacts.write("{}\n");
        contacts.close();
        QVERIFY(!memo.assignment(inputs)); // the file grew
        QVERIFY(!memo.isVerified(dir.path()));
    }

    void dryRunsWriteNothing()
    {
        startHost(300);
        TransferEngine engine(config(TargetPlatform::Brevo), m_network->client());
        const Result<StageOutcome> backupDry = run(engine, u"backup"_s, true);
        QVERIFY(backupDry.ok());
        QCOMPARE(backupDry->total, qint64(300));
        QVERIFY(!QFileInfo::exists(QFileInfo(m_project).absolutePath() + u"/engine.archive"_s));
        QVERIFY(run(engine, u"backup"_s).ok());
        int listsBefore = -1;
        m_host->inspect([&](MailchimpSandbox &, BrevoSandbox &brevo, KlaviyoSandbox &) { listsBefore = int(brevo.lists().size()); });
        const Result<StageOutcome> setupDry = run(engine, u"setup"_s, true);
        QVERIFY(setupDry.ok());
        QVERIFY(setupDry->created > 0);
        QCOMPARE(setupDry->existing, qint64(0));
        int lists = -1, attributesBefore = -1, attributesAfter = -1, contacts = -1;
        m_host->inspect([&](MailchimpSandbox &, BrevoSandbox &brevo, KlaviyoSandbox &) {
            lists = int(brevo.lists().size());
            attributesBefore = int(brevo.attributes().size());
        });
        QCOMPARE(lists, listsBefore);
        QVERIFY(run(engine, u"setup"_s).ok());
        const Result<StageOutcome> wave0 = run(engine, u"wave-0"_s, true);
        QVERIFY(wave0.ok());
        const Result<StageOutcome> wave2 = run(engine, u"wave-2"_s, true);
        QVERIFY(wave2.ok());
        QVERIFY(wave0->total > 0 && wave2->total > 0);
        QCOMPARE(wave0->written, qint64(0));
        QVERIFY(wave2->fieldsFilled.value(u"FIRSTNAME"_s) > 0);
        QVERIFY(wave2->byStatus.value(ContactStatus::Pending) > 0); // the last wave: written without consent
        m_host->inspect([&](MailchimpSandbox &, BrevoSandbox &brevo, KlaviyoSandbox &) {
            contacts = int(brevo.contacts().size());
            attributesAfter = int(brevo.attributes().size());
        });
        QCOMPARE(contacts, 0);
        QVERIFY(attributesAfter >= attributesBefore);
        // A dry run does not count as the stage having run.
        ThreadConnection c(m_project);
        TransferJournal journal(c.database());
        QVERIFY(TransferEngine(config(TargetPlatform::Brevo), m_network->client()).gate(*StageRef::fromId(u"wave-1"_s), journal).has_value());
    }

    void progressMovesWhileABatchIsInFlight()
    {
        // Brevo's first look at an import comes after two seconds: meanwhile the progress keeps
        // coming (elapsed time, rate), throttled, although no record has been written yet.
        startHost(120);
        TransferEngine engine(config(TargetPlatform::Brevo), m_network->client());
        for (const QString &id : {u"backup"_s, u"setup"_s})
            QVERIFY(run(engine, id).ok());
        QList<TransferProgress> seen;
        QMutex mutex;
        TransferObserver observer;
        observer.progress = [&](const TransferProgress &p) {
            QMutexLocker lock(&mutex);
            seen.append(p);
        };
        TransferControl control;
        const Result<StageOutcome> o = engine.run(StageRequest{*StageRef::fromId(u"wave-0"_s), false}, control, observer);
        QVERIFY(o.ok());
        QCOMPARE(o->state, RunState::Finished);
        QList<qint64> waiting; // elapsed times reported while the one batch was in flight
        for (const TransferProgress &p : std::as_const(seen)) {
            if (p.phase.startsWith(u"Writing"_s) && p.written == 0)
                waiting.append(p.elapsedMs);
        }
        QVERIFY2(waiting.size() >= 5, qPrintable(QString::number(waiting.size())));
        for (qsizetype i = 1; i < waiting.size(); ++i)
            QVERIFY(waiting.at(i) - waiting.at(i - 1) >= 100); // at most ten a second
    }

    void severalBatchesInFlight()
    {
        // Klaviyo takes several batches at once: with every answer 30 ms late, the sandbox holds
        // requests of more than one batch together, and the wave still writes each contact once.
        SandboxFaults slow;
        slow.latencyMs = 30;
        startHost(400, slow);
        TransferConfig cfg = config(TargetPlatform::Klaviyo);
        cfg.batchSize = 20;
        TransferEngine engine(cfg, m_network->client());
        for (const QString &id : {u"backup"_s, u"setup"_s, u"wave-0"_s})
            QVERIFY(run(engine, id).ok());
        const Result<StageOutcome> o = run(engine, u"wave-1"_s);
        QVERIFY(o.ok());
        QVERIFY2(o->state == RunState::Finished, qPrintable(o->summary()));
        QCOMPARE(o->written, o->total);
        QVERIFY(o->verified);
        const int peak = m_host->peakInFlight(TargetPlatform::Klaviyo);
        qInfo("requests held together: %d", peak);
        QVERIFY(peak >= 2);
        QVERIFY(peak <= 8 * 2); // eight batches (wave 0 and 1), each with at most two requests at once
        ThreadConnection c(m_project);
        TransferJournal journal(c.database());
        QCOMPARE(journal.writtenCount(o->runId).value(), o->total);
    }

    void pauseResumeCancel()
    {
        // Klaviyo: its bulk jobs take small batches quickly (Brevo polls each import through an
        // endpoint limited to 100 requests an hour, which would make this test slow).
        SandboxFaults slow;
        slow.latencyMs = 15; // every request takes a while, so the wave is caught mid-way
        startHost(800, slow);
        TransferConfig cfg = config(TargetPlatform::Klaviyo);
        cfg.batchSize = 20;
        TransferEngine engine(cfg, m_network->client());
        for (const QString &id : {u"backup"_s, u"setup"_s, u"wave-0"_s, u"wave-1"_s})
            QVERIFY(run(engine, id).ok());

        StageInBackground stage(engine, u"wave-2"_s);
        TransferControl &control = stage.control;
        QFuture<Result<StageOutcome>> &job = stage.job;
        const auto last = [&] { return stage.last(); };
        QTRY_VERIFY_WITH_TIMEOUT(last().written >= 40, 20000);

        QElapsedTimer clock;
        clock.start();
        control.pause();
        QTRY_VERIFY_WITH_TIMEOUT(last().paused, 1000);
        const qint64 pausedAfter = clock.elapsed();
        qInfo("paused after %lld ms", pausedAfter);
        QVERIFY(pausedAfter < 1000);
        {
            ThreadConnection c(m_project);
            TransferJournal journal(c.database());
            const auto runs = journal.unfinishedRuns();
            QVERIFY(runs.ok());
            QCOMPARE(runs->size(), 1);
            QCOMPARE(runs->constFirst().state, RunState::Paused);
        }
        const qint64 writtenWhilePaused = last().written;
        QTest::qWait(400);
        QCOMPARE(last().written, writtenWhilePaused);
        QVERIFY(!job.isFinished());

        control.resume();
        QTRY_VERIFY_WITH_TIMEOUT(last().written > writtenWhilePaused + 20, 20000);
        clock.restart();
        control.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(job.isFinished(), 1000);
        qInfo("cancelled after %lld ms", clock.elapsed());
        const Result<StageOutcome> cancelled = job.result();
        QVERIFY(cancelled.ok());
        QCOMPARE(cancelled->state, RunState::Cancelled);
        QVERIFY(cancelled->written < cancelled->total);

        // Run again: the same run goes on, nothing is written twice, nobody is skipped.
        const Result<StageOutcome> finished = run(engine, u"wave-2"_s);
        QVERIFY(finished.ok());
        QCOMPARE(finished->state, RunState::Finished);
        QCOMPARE(finished->runId, cancelled->runId);
        QCOMPARE(finished->written, finished->total);
        QVERIFY(finished->verified);
        ThreadConnection c(m_project);
        TransferJournal journal(c.database());
        QCOMPARE(journal.writtenCount(finished->runId).value(), finished->total);
        const auto onTarget = targetContacts(TargetPlatform::Klaviyo, listIdOf(journal));
        qint64 expected = 0;
        for (const SourceContact &s : backedUp())
            expected += ConsentMapping::map(s.status, s.consent, TargetPlatform::Klaviyo).wave != WriteWave::Skip;
        QCOMPARE(qint64(onTarget.size()), expected);
    }

    void resumeSendsOnlyUnansweredBatches()
    {
        // Klaviyo keeps eight batches in flight. The sandbox holds back the answers of two batches
        // (their import jobs are done; the answers are on their way) and the run is paused while
        // both are unanswered; one of them is answered during the pause. On Resume only the batch
        // still unanswered is sent again: the one answered while paused, and those answered
        // before it, stand.
        std::unique_ptr<TransferEngine> klaviyo;
        QVERIFY(klaviyoAtWave2(20, klaviyo)); // several batches are in flight together
        TransferEngine &engine = *klaviyo;

        auto holding = std::make_shared<Holding>();
        holding->armed = true;
        holding->skip = 3; // a few batches are written first
        holding->batches = 2;
        m_host->server(TargetPlatform::Klaviyo, [holding](SandboxServer &server) {
            server.setHold(holdFilter(holding, importedEmails));
        });
        const auto release = [this](const QSet<QString> &emails) {
            m_host->server(TargetPlatform::Klaviyo, [emails](SandboxServer &server) {
                server.releaseHeld([emails](const SandboxRequest &r) {
                    return emails.isEmpty() || importedEmails(r).intersects(emails);
                });
            });
        };

        StageInBackground stage(engine, u"wave-2"_s, [&] { release({}); });
        TransferControl &control = stage.control;
        QFuture<Result<StageOutcome>> &job = stage.job;
        const auto last = [&] { return stage.last(); };
        // Both held; every other batch answered: the engine waits for the older held one.
        QTRY_VERIFY_WITH_TIMEOUT(quiet(TargetPlatform::Klaviyo, 2), 20000);
        control.pause();
        QTRY_VERIFY_WITH_TIMEOUT(last().paused, 1000);
        QSet<QString> unanswered, answeredWhilePaused;
        {
            QMutexLocker lock(&holding->mutex);
            QCOMPARE(holding->held.size(), 2);
            unanswered = holding->held.at(0);
            answeredWhilePaused = holding->held.at(1);
        }
        QCOMPARE(unanswered.size(), 20);
        QCOMPARE(answeredWhilePaused.size(), 20);
        release(answeredWhilePaused);
        QTRY_VERIFY_WITH_TIMEOUT(quiet(TargetPlatform::Klaviyo, 1), 10000);
        const qint64 writtenWhilePaused = last().written;
        QVERIFY(!job.isFinished());

        control.resume();
        QTRY_VERIFY_WITH_TIMEOUT(job.isFinished(), 30000);
        const Result<StageOutcome> o = job.result();
        QVERIFY(o.ok());
        QVERIFY2(o->state == RunState::Finished, qPrintable(o->summary()));
        QVERIFY(writtenWhilePaused < o->total);
        QCOMPARE(o->written, o->total);
        QCOMPARE(o->failed, qint64(0));
        QVERIFY(o->verified);
        // The answer given up for the resend comes late; nothing waits for it any more.
        release({});
        QTRY_VERIFY_WITH_TIMEOUT(quiet(TargetPlatform::Klaviyo, 0), 10000);

        // What the sandbox received: the unanswered batch twice, every other contact once.
        const QHash<QString, int> sent = holding->sentSoFar();
        QCOMPARE(qint64(sent.size()), o->total);
        qint64 twice = 0;
        for (auto it = sent.cbegin(); it != sent.cend(); ++it) {
            const int expected = unanswered.contains(it.key()) ? 2 : 1;
            QVERIFY2(it.value() == expected,
                     qPrintable(u"%1 was sent %2 times"_s.arg(it.key()).arg(it.value())));
            twice += it.value() == 2;
        }
        QCOMPARE(twice, qint64(unanswered.size()));
        // The journal: every batch done once, every contact counted once.
        ThreadConnection c(m_project);
        TransferJournal journal(c.database());
        QCOMPARE(journal.writtenCount(o->runId).value(), o->total);
        QVERIFY(journal.pendingBatches(o->runId)->isEmpty());
        const auto [batches, done, written] = batchesOf(o->runId);
        QCOMPARE(batches, int((o->total + 19) / 20));
        QCOMPARE(done, batches);
        QCOMPARE(written, o->total);
    }

    void aSlowBatchDoesNotHoldUpTheOthers()
    {
        // Klaviyo keeps eight batches in flight. The sandbox holds back the answer of one batch;
        // the batches sent after it are answered, journaled and followed by new ones while it
        // waits, so the whole wave but that batch is written before its answer comes (an engine
        // that lands the oldest batch first would stop at seven batches past the held one).
        // Then its answer comes and the wave finishes, every contact sent once.
        std::unique_ptr<TransferEngine> klaviyo;
        QVERIFY(klaviyoAtWave2(5, klaviyo));
        TransferEngine &engine = *klaviyo;

        auto holding = std::make_shared<Holding>();
        holding->armed = true;
        holding->skip = 2;
        holding->batches = 1;
        m_host->server(TargetPlatform::Klaviyo, [holding](SandboxServer &server) {
            server.setHold(holdFilter(holding, importedEmails));
        });
        const auto releaseAll = [this] {
            m_host->server(TargetPlatform::Klaviyo, [](SandboxServer &server) { server.releaseHeld(); });
        };
        StageInBackground stage(engine, u"wave-2"_s, releaseAll);
        const auto last = [&] { return stage.last(); };
        QTRY_VERIFY_WITH_TIMEOUT(quiet(TargetPlatform::Klaviyo, 1), 20000);
        const TransferProgress whileHeld = last();
        qInfo("while one batch is held: %lld of %lld written", whileHeld.written, whileHeld.total);
        QVERIFY(whileHeld.total > 11 * 20); // more batches than seven past the held one
        QCOMPARE(whileHeld.written, whileHeld.total - 20);
        QVERIFY(!stage.job.isFinished());

        releaseAll();
        QTRY_VERIFY_WITH_TIMEOUT(stage.job.isFinished(), 20000);
        const Result<StageOutcome> o = stage.job.result();
        QVERIFY(o.ok());
        QVERIFY2(o->state == RunState::Finished, qPrintable(o->summary()));
        QCOMPARE(o->written, o->total);
        QVERIFY(o->verified);
        const QHash<QString, int> sent = holding->sentSoFar();
        QCOMPARE(qint64(sent.size()), o->total);
        for (auto it = sent.cbegin(); it != sent.cend(); ++it)
            QVERIFY2(it.value() == 1, qPrintable(u"%1 was sent %2 times"_s.arg(it.key()).arg(it.value())));
        const auto [batches, done, written] = batchesOf(o->runId);
        QCOMPARE(done, batches);
        QCOMPARE(written, o->total);
    }

    void answersAfterAStopFindTheirConnector()
    {
        // A run cancelled with batches in flight returns at once; their answers come after it
        // has gone. The Mailchimp connector tags what each answer says was written (through its
        // own state): it must still be there when the answers come (with it gone, this test
        // crashes; ASan names a heap-use-after-free in segmentIdsInTurn). The run continued
        // later writes every contact, and sends nothing again that the cancelled run journaled
        // as written.
        startHost(800);
        // No rate limiter: quiet() takes a quiet sandbox for a client with nothing waiting.
        m_network = std::make_unique<NetworkThread>(RateLimiter(), RetryPolicy(quickRetries()));
        TransferConfig cfg = config(TargetPlatform::Mailchimp);
        cfg.batchSize = 20;
        TransferEngine engine(cfg, m_network->client());
        for (const QString &id : {u"backup"_s, u"setup"_s, u"wave-0"_s, u"wave-1"_s}) {
            const Result<StageOutcome> o = run(engine, id);
            QVERIFY2(o.ok(), qPrintable(o.ok() ? QString() : o.error().toString()));
            QVERIFY2(o->state == RunState::Finished, qPrintable(id + u": "_s + o->summary()));
        }
        QString listPath;
        {
            ThreadConnection c(m_project);
            TransferJournal journal(c.database());
            listPath = u"/3.0/lists/"_s + listIdOf(journal);
        }

        auto holding = std::make_shared<Holding>();
        holding->armed = true;
        holding->skip = 3;    // a few batches are written first,
        holding->batches = 3; // then three held (fewer than the six connections the client
                              // opens to a host, so the batches after them are answered)
        m_host->server(TargetPlatform::Mailchimp, [holding, listPath](SandboxServer &server) {
            server.setHold(holdFilter(holding, [listPath](const SandboxRequest &r) {
                return subscribedEmails(r, listPath);
            }));
        });

        StageInBackground stage(engine, u"wave-2"_s, [this] {
            m_host->server(TargetPlatform::Mailchimp, [](SandboxServer &server) { server.releaseHeld(); });
        });
        TransferControl &control = stage.control;
        QFuture<Result<StageOutcome>> &job = stage.job;
        // Mailchimp takes ten batches at once: the engine has sent them and waits for the oldest
        // held one.
        QTRY_VERIFY_WITH_TIMEOUT(quiet(TargetPlatform::Mailchimp, 3), 20000);
        QElapsedTimer clock;
        clock.start();
        control.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(job.isFinished(), 1000);
        qInfo("cancelled after %lld ms", clock.elapsed());
        const Result<StageOutcome> cancelled = job.result();
        QVERIFY(cancelled.ok());
        QCOMPARE(cancelled->state, RunState::Cancelled);
        QVERIFY(cancelled->written > 0);
        QVERIFY(cancelled->written < cancelled->total);
        {
            QMutexLocker lock(&holding->mutex);
            holding->armed = false;
        }
        const QSet<QString> writtenBefore = writtenEmails(cancelled->runId); // as journaled
        QCOMPARE(qint64(writtenBefore.size()), cancelled->written);
        const int requestsBefore = m_host->requestCount(TargetPlatform::Mailchimp);

        // The answers arrive now (and the requests still in the client go out): the connector
        // reads each answer and tags the members it wrote.
        m_host->server(TargetPlatform::Mailchimp, [](SandboxServer &server) { server.releaseHeld(); });
        QTRY_VERIFY_WITH_TIMEOUT(quiet(TargetPlatform::Mailchimp, 0), 10000);
        QVERIFY2(m_host->requestCount(TargetPlatform::Mailchimp) > requestsBefore,
                 "the late answers were not acted on (no tagging followed them)");
        QSet<QString> unanswered; // sent by the cancelled run, not journaled as written by it
        {
            QMutexLocker lock(&holding->mutex);
            for (auto it = holding->sent.cbegin(); it != holding->sent.cend(); ++it) {
                if (!writtenBefore.contains(it.key()))
                    unanswered.insert(it.key());
            }
            for (const QSet<QString> &held : std::as_const(holding->held))
                QVERIFY(unanswered.contains(held));
        }

        // Run again: the same run goes on; what was answered is not sent again.
        const Result<StageOutcome> finished = run(engine, u"wave-2"_s);
        QVERIFY(finished.ok());
        QVERIFY2(finished->state == RunState::Finished, qPrintable(finished->summary()));
        QCOMPARE(finished->runId, cancelled->runId);
        QCOMPARE(finished->written, finished->total);
        QVERIFY(finished->verified);
        const QHash<QString, int> sent = holding->sentSoFar();
        QCOMPARE(qint64(sent.size()), finished->total);
        for (auto it = sent.cbegin(); it != sent.cend(); ++it) {
            // Sent again when the cancelled run did not journal it (a member the first request
            // created comes back as existing and is written once more with update_existing,
            // MailchimpConnector::upsertContacts); what it journaled as written, never again.
            if (unanswered.contains(it.key()))
                QVERIFY2(it.value() >= 2, qPrintable(u"%1 was sent %2 times"_s.arg(it.key()).arg(it.value())));
            else
                QVERIFY2(it.value() == 1, qPrintable(u"%1 was sent %2 times"_s.arg(it.key()).arg(it.value())));
        }
        ThreadConnection c(m_project);
        TransferJournal journal(c.database());
        QCOMPARE(journal.writtenCount(finished->runId).value(), finished->total);
        const auto [batches, done, written] = batchesOf(finished->runId);
        QCOMPARE(done, batches);
        QCOMPARE(written, finished->total);
        // Every contact of the wave is on the target once, tagged as on the source.
        const auto onTarget = targetContacts(TargetPlatform::Mailchimp, listIdOf(journal));
        qint64 inWave2 = 0;
        for (const SourceContact &s : backedUp()) {
            const QString email = s.email.toLower();
            if (!sent.contains(email))
                continue;
            ++inWave2;
            QVERIFY2(onTarget.contains(email), qPrintable(email));
            QStringList want = s.tags, got = onTarget.value(email).tags;
            want.sort();
            got.sort();
            QVERIFY2(got == want, qPrintable(email + u": "_s + got.join(u',') + u" vs "_s + want.join(u',')));
        }
        QCOMPARE(inWave2, finished->total);
    }

    void faultsLoseNothing_data()
    {
        QTest::addColumn<TargetPlatform>("target");
        QTest::newRow("brevo") << TargetPlatform::Brevo;
        QTest::newRow("klaviyo") << TargetPlatform::Klaviyo;
    }

    void faultsLoseNothing()
    {
        QFETCH(TargetPlatform, target);
        SandboxFaults faults;
        faults.rate = 0.1;
        faults.kinds = SandboxFaults::TooManyRequests | SandboxFaults::Unavailable | SandboxFaults::TruncatedBody;
        faults.retryAfterSeconds = 0;
        startHost(500, faults);
        TransferConfig cfg = config(target);
        cfg.batchSize = target == TargetPlatform::Brevo ? 150 : 40; // Brevo: few imports an hour
        TransferEngine engine(cfg, m_network->client());
        for (const QString &id : {u"backup"_s, u"setup"_s, u"wave-0"_s, u"wave-1"_s, u"wave-2"_s}) {
            // A stage that a fault stopped after every retry goes on where it stopped.
            Result<StageOutcome> o = run(engine, id);
            for (int attempt = 0; attempt < 3 && o.ok() && o->state == RunState::Failed && o->failed == 0; ++attempt)
                o = run(engine, id);
            QVERIFY2(o.ok(), qPrintable(o.ok() ? QString() : o.error().toString()));
            QVERIFY2(o->state == RunState::Finished, qPrintable(o->summary()));
        }
        ThreadConnection c(m_project);
        TransferJournal journal(c.database());
        QSet<QString> expected;
        for (const SourceContact &s : backedUp()) {
            if (ConsentMapping::map(s.status, s.consent, target).wave != WriteWave::Skip)
                expected.insert(s.email.toLower());
        }
        const auto onTarget = targetContacts(target, listIdOf(journal));
        QCOMPARE(QSet<QString>(onTarget.keyBegin(), onTarget.keyEnd()), expected);
    }

    void rejectedRowsAreReportedAndRetried()
    {
        startHost(200);
        // A mapping that cannot hold the birthdays: every contact with one is rejected.
        TransferConfig wrong = config(TargetPlatform::Brevo);
        for (FieldMappingRow &row : wrong.mapping) {
            if (row.source == u"Birthday"_s)
                row.targetType = FieldType::Number;
        }
        TransferEngine fixed(config(TargetPlatform::Brevo), m_network->client());
        for (const QString &id : {u"backup"_s, u"setup"_s, u"wave-0"_s})
            QVERIFY(run(fixed, id).ok());
        TransferEngine engine(wrong, m_network->client());
        const Result<StageOutcome> failed = run(engine, u"wave-1"_s);
        QVERIFY(failed.ok());
        QCOMPARE(failed->state, RunState::Failed);
        QVERIFY(failed->failed > 0);
        QCOMPARE(failed->written + failed->failed, failed->total);
        QVERIFY2(failed->message.contains(u"error report"_s), qPrintable(failed->message));
        ThreadConnection c(m_project);
        TransferJournal journal(c.database());
        const auto report = journal.failures(failed->runId, 0, 1000);
        QVERIFY(report.ok());
        QCOMPARE(qint64(report->size()), failed->failed);
        QCOMPARE(report->constFirst().code, u"invalid_value"_s);
        QVERIFY(!report->constFirst().message.isEmpty());
        // Wave 2 cannot start before wave 1 is settled.
        QVERIFY(!run(engine, u"wave-2"_s).ok());

        // The mapping fixed, the same run retries just the failed rows.
        const Result<StageOutcome> retried = run(fixed, u"wave-1"_s);
        QVERIFY(retried.ok());
        QCOMPARE(retried->state, RunState::Finished);
        QCOMPARE(retried->runId, failed->runId);
        QCOMPARE(retried->failed, qint64(0));
        QCOMPARE(retried->written, failed->total);
        QVERIFY(retried->verified);
    }
};

QTEST_GUILESS_MAIN(tst_TransferEngine)
#include "tst_transferengine.moc"
