// The integrity review and its gate (issue 6) headless, against the demo sandbox over real HTTP:
// a project session runs backup, setup and wave 0 into Brevo or Klaviyo, the review compares the
// wave's scope of the backup with the target read back, a contact is then made subscribed on the
// target through the sandbox's API, and the review must refuse to approve until it is put right.

#include "assessment/assessmentcontroller.h"
#include "connectors/connectioncontroller.h"
#include "integrity/diffmodel.h"
#include "integrity/integrityreview.h"
#include "integrity/reviewstore.h"
#include "integrity/scopedrecordsource.h"
#include "plan/plancontroller.h"
#include "project/projectsession.h"
#include "project/referencedata.h"
#include "reports/plandocument.h"
#include "reports/planpdfwriter.h"
#include "sandbox/sandboxhost.h"
#include "store/projectstore.h"
#include "store/schema.h"
#include "transfer/backupcontactstream.h"
#include "transfer/transfercontroller.h"
#include "transfer/transferjournal.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPdfDocument>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_IntegrityReview : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<ReferenceData> m_data;
    QNetworkAccessManager m_net;
    int m_project = 0;

    /// A project rehearsing against the demo sandbox, assessed through the API, target chosen.
    std::unique_ptr<ProjectSession> session(TargetPlatform target)
    {
        const int number = ++m_project;
        auto store = ProjectStore::create(m_dir.filePath(u"review%1.stagecoach"_s.arg(number)),
                                          u"Review %1"_s.arg(number));
        if (!store || !(*store)->setValue(ConnectionController::sandboxSettingKey(), u"demo"_s))
            return {};
        (void)(*store)->setValue(
            TransferController::listNameKey(),
            u"Review test %1 %2"_s.arg(m_project).arg(TargetPlatforms::key(target)));
        auto s = std::make_unique<ProjectSession>(std::move(store).value(), &*m_data);
        bool asked = false;
        s->connections()->settings(
            TargetPlatform::Mailchimp,
            [&](Result<ConnectionSettings> settings) {
                asked = true;
                Result<SandboxHost *> host = SandboxHost::demo();
                const auto endpoint
                    = host ? (*host)->endpoint(TargetPlatform::Mailchimp) : std::nullopt;
                if (settings && endpoint)
                    s->assessment()->assessFromApi(*settings, endpoint->audienceId);
            },
            s.get());
        if (!QTest::qWaitFor(
                [&] {
                    return asked && s->assessment()->state() == AssessmentController::State::Ready;
                },
                60000))
            return {};
        if (!s->plan()->choose(TargetPlatforms::key(target), u"review test"_s)
            || !s->plan()->generateTimeline())
            return {};
        return s;
    }

    static bool runStage(TransferController *t, const QString &id)
    {
        QSignalSpy ended(t, &TransferController::finished);
        QSignalSpy failed(t, &TransferController::failed);
        if (!t->start(*StageRef::fromId(id)))
            return false;
        if (!QTest::qWaitFor([&] { return !ended.isEmpty() || !failed.isEmpty(); }, 120000))
            return false;
        if (!failed.isEmpty()) {
            qWarning("%s failed: %s", qPrintable(id),
                     qPrintable(failed.first().first().value<Error>().toString()));
            return false;
        }
        const auto outcome = ended.first().first().value<StageOutcome>();
        if (outcome.state != RunState::Finished)
            qWarning("%s: %s", qPrintable(id), qPrintable(outcome.message));
        return outcome.state == RunState::Finished;
    }

    /// Backup, setup and wave 0, each approved as the next starts; approvals manual after.
    static bool runThroughWave0(TransferController *t)
    {
        t->setAutoApprove(true, u"test"_s);
        const bool ran = runStage(t, u"backup"_s) && runStage(t, u"setup"_s) && runStage(t, u"wave-0"_s);
        t->setAutoApprove(false, {});
        return ran;
    }

    static std::optional<ReviewDiff> review(IntegrityReview *r, const StageRef &ref,
                                            Error *error = nullptr)
    {
        QSignalSpy done(r, &IntegrityReview::finished);
        QSignalSpy failed(r, &IntegrityReview::failed);
        if (!r->reviewStage(ref))
            return std::nullopt;
        if (!QTest::qWaitFor([&] { return !done.isEmpty() || !failed.isEmpty(); }, 120000))
            return std::nullopt;
        if (!failed.isEmpty()) {
            if (error)
                *error = failed.first().at(1).value<Error>();
            qWarning("review failed: %s",
                     qPrintable(failed.first().at(1).value<Error>().toString()));
            return std::nullopt;
        }
        return r->diff(ref.id());
    }

    /// Everyone the backup holds with this status.
    static QStringList backedUpWith(TransferController *t, ContactStatus status)
    {
        const auto runs = t->journal().runs(u"backup"_s);
        QStringList out;
        if (!runs || runs->isEmpty())
            return out;
        BackupContactStream stream(runs->constLast().counts.value(u"detail"_s).toString());
        if (!stream.open())
            return out;
        for (;;) {
            auto next = stream.next();
            if (!next || !next->has_value())
                break;
            if ((*next)->status == status)
                out.append((*next)->email);
        }
        return out;
    }

    QString listId(TransferController *t) const
    {
        const auto runs = t->journal().runs(u"setup"_s);
        return runs && !runs->isEmpty() ? runs->constLast().counts.value(u"detail"_s).toString()
                                        : QString();
    }

    /// Sends a request to the demo sandbox's API as a person with the key would (not a connector).
    bool sendToSandbox(TargetPlatform platform, const QByteArray &method, const QString &path,
                       const QJsonObject &body)
    {
        Result<SandboxHost *> host = SandboxHost::demo();
        if (!host) {
            qWarning("no demo sandbox: %s", qPrintable(host.error().toString()));
            return false;
        }
        const auto e = (*host)->endpoint(platform);
        if (!e) {
            qWarning("no endpoint");
            return false;
        }
        QUrl url = e->apiRoot;
        url.setPath(url.path().chopped(url.path().endsWith(u'/') ? 1 : 0) + path);
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          platform == TargetPlatform::Klaviyo
                              ? QByteArray("application/vnd.api+json")
                              : QByteArray("application/json"));
        if (platform == TargetPlatform::Brevo) {
            request.setRawHeader("api-key", e->apiKey.toUtf8());
        } else {
            request.setRawHeader("Authorization", "Klaviyo-API-Key " + e->apiKey.toUtf8());
            request.setRawHeader("revision",
                                 "2026-07-15"); // the revision the sandbox (and the spec) know
        }
        QNetworkReply *reply = m_net.sendCustomRequest(
            request, method, QJsonDocument(body).toJson(QJsonDocument::Compact));
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000)) {
            qWarning("no answer from %s", qPrintable(url.toString()));
            return false;
        }
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status < 200 || status >= 300)
            qWarning("sandbox answered %d (%s, %s): %s", status, qPrintable(url.toString()),
                     qPrintable(reply->errorString()), reply->readAll().constData());
        reply->deleteLater();
        return status >= 200 && status < 300;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        auto data = ReferenceData::load(QStringLiteral(STAGECOACH_SOURCE_DIR) + u"/resources"_s);
        QVERIFY(data.ok());
        m_data = std::move(data).value();
    }

    void emailHashSet()
    {
        EmailHashSet set;
        set.add("Ann@Example.com ");
        set.add("bob@example.com");
        set.add("ann@example.com");
        set.seal();
        QCOMPARE(set.size(), 2);
        QVERIFY(set.contains(" ANN@example.COM"));
        QVERIFY(set.contains("bob@example.com"));
        QVERIFY(!set.contains("carl@example.com"));
    }

    void reviewStoreRoundTrip()
    {
        auto store = ProjectStore::create(m_dir.filePath(u"store.stagecoach"_s), u"Store"_s);
        QVERIFY(store.ok());
        ReviewStore reviews((*store)->database());
        ReviewRecord r;
        r.stage = u"wave-1"_s;
        r.runId = 7;
        r.reviewer = u"ann"_s;
        r.reviewedAt = QDateTime(QDate(2026, 5, 4), QTime(10, 30), Qt::UTC);
        r.decision = ReviewDecision::Rejected;
        r.comment = u"two missing"_s;
        r.figures = QJsonObject{{u"missing"_s, 2}};
        QVERIFY(reviews.add(r).ok());
        QVERIFY(r.id > 0);
        const auto all = reviews.reviews(u"wave-1"_s);
        QVERIFY(all.ok());
        QCOMPARE(all->size(), 1);
        QCOMPARE(all->first().reviewer, u"ann"_s);
        QCOMPARE(all->first().runId, 7);
        QCOMPARE(all->first().reviewedAt, r.reviewedAt);
        QCOMPARE(all->first().decision, ReviewDecision::Rejected);
        QCOMPARE(all->first().comment, u"two missing"_s);
        QCOMPARE(all->first().figures.value(u"missing"_s).toInt(), 2);
        QVERIFY(reviews.reviews(u"wave-2"_s)->isEmpty());
    }

    void upgradesAVersion4Project()
    {
        // A project from before the reviews gets their table when it is opened.
        const QString file = m_dir.filePath(u"v4.stagecoach"_s);
        const QList<SchemaMigration> v4 = Schema::migrations().mid(0, 4);
        QCOMPARE(v4.constLast().toVersion, 4);
        QVERIFY(ProjectStore::create(file, u"Old project"_s, v4).ok());
        auto store = ProjectStore::open(file);
        QVERIFY(store.ok());
        QSqlDatabase db = (*store)->database();
        QCOMPARE(Schema::userVersion(db), Schema::currentVersion()); // 5 and every one after
        ReviewStore reviews(db);
        ReviewRecord r;
        r.stage = u"wave-0"_s;
        r.reviewer = u"ann"_s;
        r.reviewedAt = QDateTime::currentDateTimeUtc();
        QVERIFY(reviews.add(r).ok());
        QCOMPARE(reviews.reviews()->size(), 1);
        QCOMPARE(reviews.reviews()->first().comment, QString());
    }

    void reviewGatesTheNextWave()
    {
        const TargetPlatform target = TargetPlatform::Brevo; // Klaviyo: klaviyoWaves()
        auto s = session(target);
        QVERIFY(s);
        TransferController *t = s->transfer();
        IntegrityReview *r = s->review();
        QVERIFY(runThroughWave0(t)); // wave 0 approves the setup as it starts
        const StageRef wave0{u"suppressions"_s, 0};
        const StageRef wave1{u"wave"_s, 1};

        // Nothing compared yet: nothing to decide on.
        QVERIFY(!r->approve(wave0, u"ann"_s, u"ok"_s).ok());
        // Backup and setup have no review.
        QSignalSpy failed(r, &IntegrityReview::failed);
        QVERIFY(r->reviewStage(StageRef{u"backup"_s, 0}));
        QCOMPARE(failed.size(), 1);

        // A clean wave: everyone it wrote is there, as written.
        const StageOutcome wave0Outcome = StageOutcome::fromRun(*t->status(wave0).lastRun);
        std::optional<ReviewDiff> clean = review(r, wave0);
        QVERIFY(clean);
        const DiffSummary &sum = clean->result->summary;
        QVERIFY(sum.sourceRecords > 0);
        QCOMPARE(sum.sourceRecords, wave0Outcome.written);
        QCOMPARE(sum.targetRecords, wave0Outcome.written);
        if (sum.changed) {
            qWarning("%s", QJsonDocument(sum.toJson()).toJson().constData());
            const auto d = clean->result->detail(0);
            for (const auto &f : d->fields)
                qWarning("%s: [%s] [%s] %d", qPrintable(f.name), qPrintable(f.sourceValue),
                         qPrintable(f.targetValue), f.differs);
        }
        QCOMPARE(sum.missing, 0);
        QCOMPARE(sum.extra, 0);
        QCOMPARE(sum.changed, 0);
        QCOMPARE(sum.consentViolations, 0);
        QCOMPARE(sum.identical, wave0Outcome.written);
        QCOMPARE(clean->result->rowCount(), 0);
        // The subscribers of the later waves are in the backup, outside this review's scope.
        QVERIFY(clean->scope.value(u"sourceOutOfScope"_s).toInteger() > 0);
        QCOMPARE(clean->scope.value(u"runId"_s).toInteger(), t->status(wave0).lastRun->id);
        // Brevo keeps tags as lists its read-back does not report: not compared, and said so.
        QVERIFY(clean->scope.value(u"text"_s).toString().contains(u"Tags are not compared"_s));
        for (const DiffFieldPair &f : sum.fields)
            QVERIFY2(f.type != CompareType::Tags, qPrintable(f.name));
        QVERIFY(sum.notComparedSource.contains(u"TAGS"_s)
                || sum.notComparedSource.contains(u"Tags"_s)
                || sum.notComparedSource.contains(u"tags"_s));

        // The next wave waits for the approval.
        std::optional<Error> blocked = t->status(wave1).blocked;
        QVERIFY(blocked.has_value());
        QVERIFY2(blocked->toString().contains(u"approved"_s), qPrintable(blocked->toString()));

        // Someone makes an unsubscribed contact subscribed on the target.
        const QStringList unsubscribed = backedUpWith(t, ContactStatus::Unsubscribed);
        QVERIFY(!unsubscribed.isEmpty());
        const QString victim = unsubscribed.first();
        QVERIFY(sendToSandbox(target, "PUT", u"/contacts/"_s + victim,
                              QJsonObject{{u"emailBlacklisted"_s, false},
                                          {u"listIds"_s, QJsonArray{listId(t).toLongLong()}}}));

        std::optional<ReviewDiff> violated = review(r, wave0);
        QVERIFY(violated);
        const DiffSummary &bad = violated->result->summary;
        QCOMPARE(bad.consentViolations, 1);
        QCOMPARE(bad.missing, 0);
        QCOMPARE(bad.changed, 1); // the violation is a change of the status class too
        QCOMPARE(bad.statusChanged, 1);
        QCOMPARE(violated->result->rowCount(), 1);
        QCOMPARE(violated->result->row(0).kind, DiffKind::ConsentViolation);
        QCOMPARE(QString::fromUtf8(violated->result->email(0)).toLower(), victim.toLower());
        // The table shows it first, flagged.
        DiffModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setResult(violated->result);
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(model.index(0, 0).data(DiffModel::ConsentViolationRole).toBool());

        // It cannot be approved, with or without a comment.
        const Status refused = r->approve(wave0, u"ann"_s, u"looks fine"_s);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().message,
                 u"1 contact is more subscribed on the target than on the source: "
                 "Wave 0: suppressions cannot be approved."_s);
        QVERIFY(!t->status(wave0).lastRun->approvedAt.isValid());
        // A rejection needs a comment; with one it is recorded, and the gate stays shut.
        QVERIFY(!r->reject(wave0, u"ann"_s, u"  "_s).ok());
        QVERIFY(r->reviews(wave0.id()).isEmpty());
        QSignalSpy changed(r, &IntegrityReview::reviewsChanged);
        QVERIFY(
            r->reject(wave0, u"ann"_s, u"one unsubscriber was resubscribed on the target"_s).ok());
        QCOMPARE(changed.size(), 1);
        QList<ReviewRecord> recorded = r->reviews(wave0.id());
        QCOMPARE(recorded.size(), 1);
        QCOMPARE(recorded.first().decision, ReviewDecision::Rejected);
        QCOMPARE(recorded.first().figures.value(u"consentViolations"_s).toInteger(), 1);
        QVERIFY(t->status(wave1).blocked.has_value());
        QVERIFY(!t->start(wave1) || QTest::qWaitFor([t] { return !t->isRunning(); }, 5000));
        QVERIFY(!t->status(wave1).lastRun.has_value()); // the gate refused it: nothing journaled

        // Put right on the target, but a first name is changed there too: compared again, no
        // violation, one contact changed in that field. Approving that needs a comment.
        QVERIFY(sendToSandbox(
            target, "PUT", u"/contacts/"_s + victim,
            QJsonObject{{u"emailBlacklisted"_s, true},
                        {u"attributes"_s, QJsonObject{{u"FIRSTNAME"_s, u"Somebody Else"_s}}}}));
        std::optional<ReviewDiff> fixed = review(r, wave0);
        QVERIFY(fixed);
        QCOMPARE(fixed->result->summary.consentViolations, 0);
        QCOMPARE(fixed->result->summary.changed, 1);
        QCOMPARE(fixed->result->summary.missing, 0);
        QCOMPARE(fixed->result->rowCount(), 1);
        const Result<DiffDetail> detail = fixed->result->detail(0);
        QVERIFY(detail.ok());
        QStringList differing;
        for (const DiffFieldDetail &f : detail->fields) {
            if (f.differs)
                differing.append(f.name + u'=' + f.targetValue);
        }
        QCOMPARE(differing, QStringList{u"First Name=Somebody Else"_s});
        const Status noComment = r->approve(wave0, u"ann"_s, QString());
        QVERIFY(!noComment.ok());
        QCOMPARE(noComment.error().message,
                 u"Contacts are missing (0) or differ (1) on the target."_s);
        QVERIFY(!t->status(wave0).lastRun->approvedAt.isValid());
        // The run continued after the comparison (a stopped run keeps its id and ends again):
        // the comparison is out of date.
        {
            TransferJournal j = t->journal();
            const TransferRun last = *t->status(wave0).lastRun;
            QTest::qWait(5); // a later end time, to the millisecond
            QVERIFY(j.finishRun(last.id, RunState::Finished, last.counts).ok());
            const Status stale = r->approve(wave0, u"ann"_s, u"name edit accepted"_s);
            QVERIFY(!stale.ok());
            QCOMPARE(stale.error().message, u"Wave 0: suppressions ran again after it was compared."_s);
            QVERIFY(review(r, wave0));
        }
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
        QVERIFY(r->approve(wave0, u"ann"_s, u"name edit accepted"_s).ok());
        recorded = r->reviews(wave0.id());
        QCOMPARE(recorded.size(), 2);
        const ReviewRecord &ok = recorded.last();
        QCOMPARE(ok.decision, ReviewDecision::Approved);
        QCOMPARE(ok.reviewer, u"ann"_s);
        QCOMPARE(ok.comment, u"name edit accepted"_s);
        QVERIFY(ok.reviewedAt >= before && ok.reviewedAt <= QDateTime::currentDateTimeUtc());
        QCOMPARE(ok.runId, t->status(wave0).lastRun->id);
        QCOMPARE(ok.figures.value(u"sourceRecords"_s).toInteger(), wave0Outcome.written);
        QCOMPARE(ok.figures.value(u"missing"_s).toInteger(), 0);
        QCOMPARE(ok.figures.value(u"changed"_s).toInteger(), 1);
        QCOMPARE(ok.figures.value(u"consentViolations"_s).toInteger(), 0);
        QCOMPARE(ok.figures.value(u"scope"_s).toObject().value(u"stage"_s).toString(), u"wave-0"_s);
        // The run is approved by the same person, and the next wave may start.
        const TransferRun run = *t->status(wave0).lastRun;
        QCOMPARE(run.approvedBy, u"ann"_s);
        QCOMPARE(run.comment, u"name edit accepted"_s);
        QVERIFY2(!t->status(wave1).blocked.has_value(),
                 qPrintable(t->status(wave1).blocked->toString()));

        // Wave 1 after it: its review covers waves 0 and 1 (the target holds both), and the
        // subscribers' tags (Brevo lists "Tag: ...") compare equal too. The renamed first name of
        // wave 0 is still there: the one change.
        QVERIFY(runStage(t, u"wave-1"_s));
        const StageOutcome wave1Outcome = StageOutcome::fromRun(*t->status(wave1).lastRun);
        QVERIFY(wave1Outcome.written > 0);
        std::optional<ReviewDiff> second = review(r, wave1);
        QVERIFY(second);
        const DiffSummary &two = second->result->summary;
        QCOMPARE(two.sourceRecords, wave0Outcome.written + wave1Outcome.written);
        QCOMPARE(two.targetRecords, wave0Outcome.written + wave1Outcome.written);
        QCOMPARE(two.missing, 0);
        QCOMPARE(two.extra, 0);
        QCOMPARE(two.consentViolations, 0);
        if (two.changed != 1) {
            qWarning("%s", QJsonDocument(two.toJson().value(u"changedByField"_s).toObject())
                               .toJson()
                               .constData());
            for (int i = 0; i < 3 && i < second->result->rowCount(); ++i) {
                const auto d = second->result->detail(i);
                for (const auto &f : d->fields)
                    if (f.differs)
                        qWarning("%s %s: [%s] [%s]", qPrintable(d->email), qPrintable(f.name),
                                 qPrintable(f.sourceValue), qPrintable(f.targetValue));
            }
        }
        QCOMPARE(two.changed, 1);
        QCOMPARE(QString::fromUtf8(second->result->email(0)).toLower(), victim.toLower());
        QCOMPARE(second->scope.value(u"wave"_s).toInt(), 1);
        // Wave 0 reviewed again now: wave 1's contacts on the target are left out, not extra.
        std::optional<ReviewDiff> again = review(r, wave0);
        QVERIFY(again);
        QCOMPARE(again->result->summary.extra, 0);
        QCOMPARE(again->result->summary.targetRecords, wave0Outcome.written);
        QCOMPARE(again->scope.value(u"targetOutOfScope"_s).toInteger(), wave1Outcome.written);

        // The plan PDF shows both decisions with their figures.
        Result<PlanDocument> doc = PlanDocument::load(*s->store(), m_data->catalog);
        QVERIFY(doc.ok());
        QCOMPARE(doc->reviews.size(), 2);
        const QString pdf = m_dir.filePath(u"plan%1.pdf"_s.arg(m_project));
        QVERIFY(PlanPdfWriter::write(*doc, pdf).ok());
        if (const QString keep = qEnvironmentVariable("STAGECOACH_GRAB_DIR"); !keep.isEmpty())
            QFile::copy(pdf, keep + u"/plan-with-reviews.pdf"_s);
        // Read back with QtPdf (a package the build needs anyway; pdftotext may be absent).
        QPdfDocument saved;
        QCOMPARE(saved.load(pdf), QPdfDocument::Error::None);
        QString pages;
        for (int page = 0; page < saved.pageCount(); ++page)
            pages += saved.getAllText(page).text() + u'\n';
        const QString extracted = pages.simplified();
        QVERIFY2(extracted.contains(u"Integrity reviews"_s), qPrintable(extracted.left(400)));
        QVERIFY(extracted.contains(u"Rejected"_s));
        QVERIFY(extracted.contains(u"one unsubscriber was resubscribed on the target"_s));
        QVERIFY(extracted.contains(u"name edit accepted"_s));
        QVERIFY(extracted.contains(u"Wave 0: suppressions"_s));
        const QString figures = u"%1 on the source"_s.arg(QLocale().toString(wave0Outcome.written));
        QCOMPARE(extracted.count(figures), 2);
        QVERIFY(extracted.contains(u"1 consent violation."_s));
        QVERIFY(extracted.contains(u"0 consent violations."_s));
    }

    void cancelWhileAPageIsOnItsWay()
    {
        // The review reads the target back page by page on its worker, waiting for each through
        // ConnectorAwait. Cancel while a page is on its way (the sandbox answers after two
        // seconds) ends the comparison at once: cancelled, no diff kept, nothing recorded, and
        // the answer that comes later changes nothing.
        auto s = session(TargetPlatform::Brevo);
        QVERIFY(s);
        TransferController *t = s->transfer();
        IntegrityReview *r = s->review();
        QVERIFY(runThroughWave0(t));
        const StageRef wave0{u"suppressions"_s, 0};
        const QString list = listId(t);
        QVERIFY(!list.isEmpty());

        Result<SandboxHost *> host = SandboxHost::demo();
        QVERIFY(host.ok());
        SandboxHost *h = *host;
        struct Seen
        {
            QMutex mutex;
            QList<QPair<QByteArray, QString>> requests; // method, path
        };
        auto seen = std::make_shared<Seen>();
        SandboxFaults normal;
        h->server(TargetPlatform::Brevo, [&normal, seen](SandboxServer &server) {
            normal = server.faults();
            SandboxFaults slow = normal;
            slow.latencyMs = 2000;
            server.setFaults(slow);
            server.setHold([seen](const SandboxRequest &request) {
                QMutexLocker lock(&seen->mutex);
                seen->requests.append({request.method, request.path});
                return false; // only looked at
            });
        });
        auto restore = qScopeGuard([h, &normal] {
            h->server(TargetPlatform::Brevo, [&normal](SandboxServer &server) {
                server.setFaults(normal);
                server.setHold({});
            });
        });

        QSignalSpy done(r, &IntegrityReview::finished);
        QSignalSpy failed(r, &IntegrityReview::failed);
        QVERIFY(r->reviewStage(wave0));
        // The first page of the list's contacts has been asked for and is on its way (after
        // what the review asks first, each also two seconds).
        const QString page = u"/contacts/lists/%1/contacts"_s.arg(list);
        const auto pageOnItsWay = [&] {
            QMutexLocker lock(&seen->mutex);
            return !seen->requests.isEmpty() && seen->requests.constLast().first == "GET"
                   && seen->requests.constLast().second.endsWith(page)
                   && h->inFlight(TargetPlatform::Brevo) == 1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(pageOnItsWay(), 20000);
        {
            QMutexLocker lock(&seen->mutex);
            int pages = 0;
            for (const auto &[method, path] : std::as_const(seen->requests))
                pages += path.endsWith(page);
            QCOMPARE(pages, 1);
        }
        QElapsedTimer clock;
        clock.start();
        r->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty() || !done.isEmpty(), 5000);
        const qint64 took = clock.elapsed();
        qInfo("cancelled after %lld ms", took);
        QVERIFY2(took < 1000, qPrintable(QString::number(took)));
        QVERIFY(h->inFlight(TargetPlatform::Brevo) == 1); // its answer is still to come
        QCOMPARE(done.size(), 0);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().at(0).toString(), wave0.id());
        QCOMPARE(failed.first().at(1).value<Error>().message, u"The comparison was cancelled."_s);
        QVERIFY(!r->isRunning());
        QVERIFY(!r->diff(wave0.id()));
        QVERIFY(r->reviews().isEmpty());

        // The late answer arrives (to a connector the worker has let go of) and changes nothing.
        QTRY_VERIFY_WITH_TIMEOUT(h->inFlight(TargetPlatform::Brevo) == 0, 5000);
        QTest::qWait(100);
        QVERIFY(!r->diff(wave0.id()));
        QCOMPARE(done.size(), 0);
        QCOMPARE(failed.size(), 1);
        const Status refused = r->approve(wave0, u"ann"_s, u"ok"_s); // nothing compared yet
        QVERIFY(!refused.ok());
        QVERIFY(r->reviews().isEmpty());
        QVERIFY(!t->status(wave0).lastRun->approvedAt.isValid());

        // Compared again at the normal pace: it runs to the end.
        restore.dismiss();
        h->server(TargetPlatform::Brevo, [&normal](SandboxServer &server) {
            server.setFaults(normal);
            server.setHold({});
        });
        std::optional<ReviewDiff> d = review(r, wave0);
        QVERIFY(d);
        const qint64 written = StageOutcome::fromRun(*t->status(wave0).lastRun).written;
        QCOMPARE(d->result->summary.sourceRecords, written);
        QCOMPARE(d->result->summary.targetRecords, written);
        QCOMPARE(d->result->summary.missing, 0);
        QCOMPARE(d->result->summary.consentViolations, 0);
    }

    void klaviyoWaves()
    {
        // Klaviyo keeps only subscribers in the list: the review reads the account, as the
        // wave's verification does. Two clean waves compare without a difference.
        auto s = session(TargetPlatform::Klaviyo);
        QVERIFY(s);
        TransferController *t = s->transfer();
        IntegrityReview *r = s->review();
        QVERIFY(runThroughWave0(t));
        const StageRef wave0{u"suppressions"_s, 0};
        const StageRef wave1{u"wave"_s, 1};
        const qint64 written0 = StageOutcome::fromRun(*t->status(wave0).lastRun).written;
        std::optional<ReviewDiff> d0 = review(r, wave0);
        QVERIFY(d0);
        const auto dump = [](const ReviewDiff &d) {
            QStringList out;
            for (int i = 0; i < 3 && i < d.result->rowCount(); ++i) {
                const auto detail = d.result->detail(i);
                for (const auto &f : detail->fields)
                    if (f.differs)
                        out.append(detail->email + u' ' + f.name + u" ["_s + f.sourceValue
                                   + u"] ["_s + f.targetValue + u']');
                if (detail->statusDiffers)
                    out.append(detail->email + u" status"_s);
            }
            return out.join(u"; "_s);
        };
        QVERIFY2(d0->result->rowCount() == 0, qPrintable(dump(*d0)));
        QCOMPARE(d0->result->summary.sourceRecords, written0);
        QCOMPARE(d0->result->summary.identical, written0);
        const Status approved
            = r->approve(wave0, u"ann"_s, QString()); // nothing differs: no comment needed
        QVERIFY2(approved.ok(),
                 qPrintable(approved.ok() ? QString() : approved.error().toString()));
        QVERIFY(runStage(t, u"wave-1"_s));
        const qint64 written1 = StageOutcome::fromRun(*t->status(wave1).lastRun).written;
        std::optional<ReviewDiff> d1 = review(r, wave1);
        QVERIFY(d1);
        QVERIFY2(d1->result->rowCount() == 0, qPrintable(dump(*d1)));
        QCOMPARE(d1->result->summary.identical, written0 + written1);
        QCOMPARE(r->reviews().size(), 1);

        // A contact without marketing consent subscribed on Klaviyo directly (a historical
        // import: no double opt-in mail): one consent violation, which cannot be approved.
        QStringList candidates = backedUpWith(t, ContactStatus::Transactional);
        candidates += backedUpWith(t, ContactStatus::Pending);
        QVERIFY(!candidates.isEmpty());
        const QString victim = candidates.first();
        const QJsonObject profile{
            {u"type"_s, u"profile"_s},
            {u"attributes"_s,
             QJsonObject{
                 {u"email"_s, victim},
                 {u"subscriptions"_s,
                  QJsonObject{
                      {u"email"_s, QJsonObject{{u"marketing"_s,
                                                QJsonObject{{u"consent"_s, u"SUBSCRIBED"_s},
                                                            {u"consented_at"_s,
                                                             u"2020-01-01T00:00:00Z"_s}}}}}}}}}};
        const QJsonObject job{
            {u"data"_s,
             QJsonObject{
                 {u"type"_s, u"profile-subscription-bulk-create-job"_s},
                 {u"attributes"_s,
                  QJsonObject{{u"historical_import"_s, true},
                              {u"profiles"_s, QJsonObject{{u"data"_s, QJsonArray{profile}}}}}},
                 {u"relationships"_s,
                  QJsonObject{
                      {u"list"_s, QJsonObject{{u"data"_s, QJsonObject{{u"type"_s, u"list"_s},
                                                                      {u"id"_s, listId(t)}}}}}}}}}};
        QVERIFY(sendToSandbox(TargetPlatform::Klaviyo, "POST",
                              u"/profile-subscription-bulk-create-jobs"_s, job));
        std::optional<ReviewDiff> violated = review(r, wave1);
        QVERIFY(violated);
        QCOMPARE(violated->result->summary.consentViolations, 1);
        QCOMPARE(violated->result->summary.missing, 0);
        QCOMPARE(violated->result->rowCount(), 1);
        QCOMPARE(QString::fromUtf8(violated->result->email(0)).toLower(), victim.toLower());
        QVERIFY(!r->approve(wave1, u"ann"_s, u"fine"_s).ok());
        QVERIFY(!t->status(wave1).lastRun->approvedAt.isValid());
    }

    void comparesTwoFilesOnDemand()
    {
        // Two files on demand: one contact missing, one changed.
        const QString a = m_dir.filePath(u"a.csv"_s), b = m_dir.filePath(u"b.csv"_s);
        QFile fa(a), fb(b);
        QVERIFY(fa.open(QIODevice::WriteOnly) && fb.open(QIODevice::WriteOnly));
        fa.write(
            "email,first_name\nann@example.com,Ann\nbob@example.com,Bob\ncarl@example.com,Carl\n");
        fb.write("email,first_name\nANN@example.com,Ann\nbob@example.com,Robert\n");
        fa.close();
        fb.close();
        auto s = std::make_unique<ProjectSession>(
            std::move(ProjectStore::create(m_dir.filePath(u"files.stagecoach"_s), u"Files"_s))
                .value(),
            &*m_data);
        IntegrityReview *r = s->review();
        QSignalSpy done(r, &IntegrityReview::finished);
        QVERIFY(r->compareFiles(a, b));
        QVERIFY(r->isRunning());
        QVERIFY(!r->compareFiles(a, b)); // one at a time
        QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty(), 20000);
        QCOMPARE(done.first().first().toString(), u"files"_s);
        const std::optional<ReviewDiff> d = r->diff(u"files"_s);
        QVERIFY(d);
        QCOMPARE(d->result->summary.missing, 1);
        QCOMPARE(d->result->summary.changed, 1);
        QCOMPARE(d->result->summary.identical, 1);
        QCOMPARE(d->scope.value(u"kind"_s).toString(), u"files"_s);
        // A stage without its own comparison cannot be decided on.
        QVERIFY(!r->approve(StageRef{u"wave"_s, 1}, u"ann"_s, u"fine"_s).ok());
    }
};

QTEST_MAIN(tst_IntegrityReview) // the plan PDF lays text out with fonts
#include "tst_integrityreview.moc"
