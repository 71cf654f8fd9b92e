// The integrity review window offscreen (issue 6): the demo project runs backup, setup and wave 0
// into the demo sandbox's Brevo; two contacts are then changed on the target through its API (one
// unsubscriber made subscribed, one first name changed); the review window opened from the wave's
// panel shows them, filters them, shows both records side by side, exports them and refuses to
// approve the consent violation, then approves with a comment once it is put right.

#include "assessment/assessmentcontroller.h"
#include "dialogs/prompts.h"
#include "dialogs/reviewwindow.h"
#include "integrity/diffmodel.h"
#include "integrity/integrityreview.h"
#include "mainwindow.h"
#include "pages/datatransferpage.h"
#include "plan/plancontroller.h"
#include "project/demoproject.h"
#include "project/projectsession.h"
#include "project/referencedata.h"
#include "sandbox/sandboxhost.h"
#include "transfer/backupcontactstream.h"
#include "transfer/stageoutcome.h"
#include "transfer/transfercontroller.h"
#include "transfer/transferjournal.h"
#include "widgets/reviewpanel.h"
#include "widgets/stagerunpanel.h"
#include "wizard/migrationwizard.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

class ScriptedPrompts : public Prompts
{
public:
    QString nextSavePath;
    QStringList nextOpenPaths;
    QStringList errors;

    QString openFilePath(QWidget *, const QString &, const QString &, const QString &) override
    {
        return nextOpenPaths.isEmpty() ? QString() : nextOpenPaths.takeFirst();
    }
    QString saveFilePath(QWidget *, const QString &, const QString &, const QString &) override
    {
        return nextSavePath;
    }
    void showError(QWidget *, const QString &, const Error &error) override
    {
        errors.append(error.toString());
    }
    bool confirm(QWidget *, const QString &, const QString &) override { return true; }
};

template<typename T>
T *find(QWidget *root, const QString &name)
{
    T *w = root->findChild<T *>(name);
    if (!w)
        qFatal("no widget named %s", qPrintable(name));
    return w;
}

bool runStage(TransferController *t, const QString &id)
{
    QSignalSpy ended(t, &TransferController::finished);
    QSignalSpy failed(t, &TransferController::failed);
    if (!t->start(*StageRef::fromId(id)))
        return false;
    return QTest::qWaitFor([&] { return !ended.isEmpty() || !failed.isEmpty(); }, 120000)
           && failed.isEmpty()
           && ended.first().first().value<StageOutcome>().state == RunState::Finished;
}

} // namespace

class tst_Review : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ScriptedPrompts m_prompts;
    ReferenceData m_data;
    QNetworkAccessManager m_net;

    bool putBrevoContact(const QString &email, const QJsonObject &body)
    {
        Result<SandboxHost *> host = SandboxHost::demo();
        if (!host)
            return false;
        const auto e = (*host)->endpoint(TargetPlatform::Brevo);
        QUrl url = e->apiRoot;
        QString root = url.path();
        if (root.endsWith(u'/'))
            root.chop(1);
        url.setPath(root + u"/contacts/"_s + email);
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        request.setRawHeader("api-key", e->apiKey.toUtf8());
        QNetworkReply *reply
            = m_net.put(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
            return false;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return status >= 200 && status < 300;
    }

    /// The first two backed-up contacts of wave 0 with these statuses.
    static QString backedUp(TransferController *t, ContactStatus status, int skip = 0)
    {
        const auto runs = t->journal().runs(u"backup"_s);
        if (!runs || runs->isEmpty())
            return {};
        BackupContactStream stream(runs->constLast().counts.value(u"detail"_s).toString());
        if (!stream.open())
            return {};
        for (;;) {
            auto next = stream.next();
            if (!next || !next->has_value())
                return {};
            if ((*next)->status == status && skip-- == 0)
                return (*next)->email;
        }
    }

    static bool compare(ReviewPanel *panel, IntegrityReview *review)
    {
        QSignalSpy done(review, &IntegrityReview::finished);
        QSignalSpy failed(review, &IntegrityReview::failed);
        QTest::mouseClick(find<QPushButton>(panel, u"compareButton"_s), Qt::LeftButton);
        if (!QTest::qWaitFor([&] { return !done.isEmpty() || !failed.isEmpty(); }, 120000))
            return false;
        if (!failed.isEmpty())
            qWarning("%s", qPrintable(failed.first().at(1).value<Error>().toString()));
        return failed.isEmpty();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        Prompts::setInstance(&m_prompts);
        auto data = ReferenceData::load(QStringLiteral(STAGECOACH_SOURCE_DIR) + u"/resources"_s);
        QVERIFY(data.ok());
        m_data = std::move(data).value();
    }

    void cleanupTestCase() { Prompts::setInstance(nullptr); }

    void reviewWindow()
    {
        const QString bundled = QStringLiteral(STAGECOACH_SOURCE_DIR)
                                + u"/resources/demo/mailchimp-demo-export.zip"_s;
        const QString folder = m_dir.filePath(u"demo-review"_s);
        MainWindow window(&m_data, [folder, bundled]() -> Result<std::pair<QString, QString>> {
            auto paths = DemoProject::ensure(folder, bundled);
            if (!paths)
                return paths.error();
            return std::pair{paths->project, paths->exportFile};
        });
        window.resize(1280, 900);
        window.show();
        QVERIFY(window.openDemo());
        ProjectSession *session = window.session();
        QVERIFY(QTest::qWaitFor(
            [&] { return session->assessment()->state() == AssessmentController::State::Ready; },
            60000));
        QVERIFY(session->plan()->choose(u"brevo"_s, u"rehearsal"_s)
                && session->plan()->generateTimeline());
        TransferController *transfer = session->transfer();
        transfer->setAutoApprove(true, u"test"_s);
        QVERIFY(runStage(transfer, u"backup"_s));
        QVERIFY(runStage(transfer, u"setup"_s));
        QVERIFY(runStage(transfer, u"wave-0"_s));
        transfer->setAutoApprove(false, {});

        // On the target, one unsubscriber made subscribed and another's first name changed.
        const QString resubscribed = backedUp(transfer, ContactStatus::Unsubscribed);
        const QString renamed = backedUp(transfer, ContactStatus::Unsubscribed, 1);
        QVERIFY(!resubscribed.isEmpty() && !renamed.isEmpty());
        const auto setup = transfer->journal().runs(u"setup"_s);
        const qint64 listId = setup->constLast().counts.value(u"detail"_s).toString().toLongLong();
        QVERIFY(putBrevoContact(
            resubscribed, {{u"emailBlacklisted"_s, false}, {u"listIds"_s, QJsonArray{listId}}}));
        QVERIFY(putBrevoContact(renamed,
                                {{u"attributes"_s, QJsonObject{{u"FIRSTNAME"_s, u"Renamed"_s}}}}));

        // The wave's panel offers the review; backup and setup have none.
        MigrationWizard *wizard = window.wizard();
        wizard->goToStep(StepId::DataTransfer);
        auto *page = qobject_cast<DataTransferPage *>(wizard->currentPage());
        QVERIFY(page);
        page->selectWave(0);
        auto *reviewButton = find<QPushButton>(page, u"reviewButton"_s);
        QVERIFY(reviewButton->isVisible());
        QTest::mouseClick(reviewButton, Qt::LeftButton);
        ReviewWindow *reviewWindow = page->panel()->reviewWindow();
        QVERIFY(reviewWindow);
        QVERIFY(reviewWindow->isVisible());
        QCOMPARE(reviewWindow->objectName(), u"reviewWindow"_s);
        ReviewPanel *panel = reviewWindow->panel();
        QAbstractItemModelTester tester(panel->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!find<QPushButton>(panel, u"reviewApproveButton"_s)
                     ->isEnabled()); // nothing compared yet

        QVERIFY(compare(panel, session->review()));
        const QString summary = find<QLabel>(panel, u"reviewSummaryLabel"_s)->text();
        QVERIFY2(summary.contains(u"1 contact is more subscribed"_s), qPrintable(summary));
        QVERIFY(summary.contains(u"#b00020"_s)); // in red
        QVERIFY2(summary.contains(u"First Name: 1"_s), qPrintable(summary));
        auto *table = find<QTableView>(panel, u"differencesView"_s);
        QCOMPARE(table->model()->rowCount(), 2);
        // The violation first, flagged for the red rows.
        QVERIFY(table->model()->index(0, 0).data(DiffModel::ConsentViolationRole).toBool());
        QCOMPARE(table->model()->index(0, DiffModel::EmailColumn).data().toString().toLower(),
                 resubscribed.toLower());
        QCOMPARE(table->model()->index(1, DiffModel::EmailColumn).data().toString().toLower(),
                 renamed.toLower());
        QCOMPARE(find<QLabel>(panel, u"shownLabel"_s)->text(), u"2 of 2 differences shown"_s);

        // Filters: by kind, by field, by text.
        auto *kind = find<QComboBox>(panel, u"kindFilterCombo"_s);
        kind->setCurrentIndex(kind->findData(int(DiffKind::Changed)));
        QCOMPARE(table->model()->rowCount(), 1);
        QCOMPARE(table->model()->index(0, DiffModel::EmailColumn).data().toString().toLower(),
                 renamed.toLower());
        kind->setCurrentIndex(kind->findData(int(DiffKind::Missing)));
        QCOMPARE(table->model()->rowCount(), 0);
        kind->setCurrentIndex(0);
        QCOMPARE(table->model()->rowCount(), 2);
        auto *field = find<QComboBox>(panel, u"fieldFilterCombo"_s);
        const int firstName = field->findText(u"First Name (1)"_s);
        QVERIFY2(firstName > 0, qPrintable(field->itemText(1)));
        field->setCurrentIndex(firstName);
        QCOMPARE(table->model()->rowCount(), 1);
        field->setCurrentIndex(field->findData(DiffModel::kStatusField));
        QCOMPARE(table->model()->rowCount(), 1);
        QCOMPARE(table->model()->index(0, DiffModel::EmailColumn).data().toString().toLower(),
                 resubscribed.toLower());
        field->setCurrentIndex(0);
        auto *text = find<QLineEdit>(panel, u"textFilterEdit"_s);
        QTest::keyClicks(text, renamed.left(renamed.indexOf(u'@')).toUpper());
        QCOMPARE(table->model()->rowCount(), 1);
        QCOMPARE(find<QLabel>(panel, u"shownLabel"_s)->text(), u"1 of 2 differences shown"_s);

        // The detail pane: both records, the changed value highlighted.
        table->setCurrentIndex(table->model()->index(0, 1));
        auto *detail = find<QTableWidget>(panel, u"detailTable"_s);
        QVERIFY(detail->rowCount() > 2);
        int changedRow = -1;
        for (int r = 0; r < detail->rowCount(); ++r) {
            if (detail->item(r, 0)->data(Qt::UserRole).toBool()) {
                QCOMPARE(changedRow, -1);
                changedRow = r;
            }
        }
        QVERIFY(changedRow >= 0);
        QCOMPARE(detail->item(changedRow, 0)->text(), u"First Name"_s);
        QCOMPARE(detail->item(changedRow, 2)->text(), u"Renamed"_s);
        QVERIFY(detail->item(changedRow, 1)->text() != u"Renamed"_s);
        QVERIFY(detail->item(changedRow, 2)->background().color().isValid());
        QVERIFY(detail->item(changedRow, 2)->font().bold());
        if (const QString grabDir = qEnvironmentVariable("STAGECOACH_GRAB_DIR");
            !grabDir.isEmpty()) {
            // Both differences listed, the changed one open in the detail pane: the screenshot.
            text->clear();
            table->setCurrentIndex(table->model()->index(1, 1));
            QTest::qWait(200);
            reviewWindow->grab().save(grabDir + u"/review.png"_s);
            QTest::qWait(
                qEnvironmentVariableIntValue("STAGECOACH_HOLD_MS")); // for a screen capture
        }
        text->clear();
        QCOMPARE(table->model()->rowCount(), 2);

        // Export as CSV through the save seam.
        m_prompts.nextSavePath = m_dir.filePath(u"differences.csv"_s);
        QTest::mouseClick(find<QPushButton>(panel, u"exportDifferencesButton"_s), Qt::LeftButton);
        QFile csv(m_prompts.nextSavePath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QString exported = QString::fromUtf8(csv.readAll());
        QVERIFY2(exported.contains(resubscribed, Qt::CaseInsensitive), qPrintable(exported));
        QVERIFY(exported.contains(u"Renamed"_s));
        QVERIFY(m_prompts.errors.isEmpty());

        // The violation cannot be approved.
        auto *comment = find<QLineEdit>(panel, u"reviewCommentEdit"_s);
        auto *approve = find<QPushButton>(panel, u"reviewApproveButton"_s);
        auto *error = find<QLabel>(panel, u"reviewErrorLabel"_s);
        QVERIFY(approve->isEnabled());
        comment->setText(u"fine"_s);
        QTest::mouseClick(approve, Qt::LeftButton);
        QVERIFY(!error->isHidden());
        QVERIFY2(error->text().contains(u"cannot be approved"_s), qPrintable(error->text()));
        QVERIFY(!transfer->status(StageRef{u"suppressions"_s, 0}).lastRun->approvedAt.isValid());

        // Rejected: a comment is needed; the wave's panel then shows who rejected it and why.
        auto *reject = find<QPushButton>(panel, u"reviewRejectButton"_s);
        comment->clear();
        QTest::mouseClick(reject, Qt::LeftButton);
        QVERIFY2(error->text().contains(u"A rejection needs a comment."_s), qPrintable(error->text()));
        comment->setText(u"one unsubscriber is subscribed on Brevo"_s);
        QTest::mouseClick(reject, Qt::LeftButton);
        QVERIFY2(error->isHidden(), qPrintable(error->text()));
        QVERIFY2(find<QLabel>(panel, u"reviewHistoryLabel"_s)->text().startsWith(u"Rejected by "_s),
                 qPrintable(find<QLabel>(panel, u"reviewHistoryLabel"_s)->text()));
        const QString stageApproval = find<QLabel>(page, u"approvalLabel"_s)->text();
        QVERIFY2(stageApproval.startsWith(u"Rejected by "_s)
                     && stageApproval.contains(u"one unsubscriber is subscribed on Brevo"_s),
                 qPrintable(stageApproval));

        // Put right on the target: compared again, the name change remains; approval needs a
        // comment.
        QVERIFY(putBrevoContact(resubscribed, {{u"emailBlacklisted"_s, true}}));
        QVERIFY(compare(panel, session->review()));
        QCOMPARE(table->model()->rowCount(), 1);
        comment->clear();
        QTest::mouseClick(approve, Qt::LeftButton);
        QVERIFY2(error->text().contains(u"comment"_s), qPrintable(error->text()));
        comment->setText(u"one name was edited on Brevo by the team"_s);
        QTest::mouseClick(approve, Qt::LeftButton);
        QVERIFY2(error->isHidden(), qPrintable(error->text()));
        const QString history = find<QLabel>(panel, u"reviewHistoryLabel"_s)->text();
        QVERIFY2(history.startsWith(u"Rejected by "_s) && history.contains(u"<br>Approved by "_s)
                     && history.contains(u"one name was edited on Brevo by the team"_s),
                 qPrintable(history));
        QVERIFY(find<QLabel>(page, u"approvalLabel"_s)->text().startsWith(u"Approved by "_s));
        QVERIFY(!approve->isEnabled());
        QVERIFY(transfer->status(StageRef{u"suppressions"_s, 0}).lastRun->approvedAt.isValid());
    }
};

QTEST_MAIN(tst_Review)
#include "tst_review.moc"
