#include "assessment/assessmentcontroller.h"
#include "dialogs/prompts.h"
#include "mainwindow.h"
#include "pages/datatransferpage.h"
#include "plan/fieldmappingcontroller.h"
#include "plan/plancontroller.h"
#include "connectors/connectioncontroller.h"
#include "integrity/integrityreview.h"
#include "sandbox/sandboxhost.h"
#include "transfer/stageoutcome.h"
#include "project/demoproject.h"
#include "project/projectsession.h"
#include "project/referencedata.h"
#include "store/projectstore.h"
#include "testsupport.h"
#include "transfer/transfercontroller.h"
#include "transfer/transferjournal.h"
#include "widgets/stagerunpanel.h"
#include "widgets/throughputchart.h"
#include "wizard/migrationwizard.h"

#include <QAbstractButton>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <QFile>
#include <QJsonDocument>
#include <QMap>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

/** Answers the dialogs the way the test says; records the questions and errors. */
class ScriptedPrompts : public Prompts
{
public:
    QString nextSavePath;
    bool confirmAnswer = true;
    QStringList questions;
    QStringList errors;

    QString saveFilePath(QWidget *, const QString &, const QString &, const QString &) override { return nextSavePath; }
    void showError(QWidget *, const QString &, const Error &error) override { errors.append(error.toString()); }
    bool confirm(QWidget *, const QString &, const QString &question) override
    {
        questions.append(question);
        return confirmAnswer;
    }
};

template<typename T>
T *find(QWidget *root, const QString &name)
{
    T *w = root->findChild<T *>(name);
    if (!w)
        qFatal("no widget named %s", qPrintable(name));
    return w;
}

void grab(QWidget *widget, const QString &file)
{
    const QString dir = qEnvironmentVariable("STAGECOACH_GRAB_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(50);
    widget->window()->grab().save(dir + u'/' + file);
}

QString stateOf(QWidget *page)
{
    return find<QLabel>(page, u"stageStateLabel"_s)->property("state").toString();
}

/// Clicks a button once it is enabled (whether a stage may start is read in the background).
void click(QWidget *page, const QString &name)
{
    auto *b = find<QPushButton>(page, name);
    if (!QTest::qWaitFor([b] { return b->isEnabled(); }, 10000))
        qWarning("%s is disabled", qPrintable(name));
    QTest::mouseClick(b, Qt::LeftButton);
}

} // namespace

class tst_Execution : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ScriptedPrompts m_prompts;
    ReferenceData m_data;

    /// A fresh copy of the demo project (connection.sandbox = demo) in this folder.
    MainWindow::DemoProvider demoIn(const QString &folder)
    {
        const QString bundled = QStringLiteral(STAGECOACH_SOURCE_DIR) + u"/resources/demo/mailchimp-demo-export.zip"_s;
        const QString path = m_dir.filePath(folder);
        return [path, bundled]() -> Result<std::pair<QString, QString>> {
            auto paths = DemoProject::ensure(path, bundled);
            if (!paths)
                return paths.error();
            return std::pair{paths->project, paths->exportFile};
        };
    }

    /// Opens the window's demo project: assessed, Brevo chosen, the timeline made.
    bool openDemo(MainWindow &window)
    {
        if (!window.openDemo())
            return false;
        AssessmentController *assessment = window.session()->assessment();
        if (!QTest::qWaitFor([&] { return assessment->state() == AssessmentController::State::Ready; }, 30000))
            return false;
        return window.session()->plan()->choose(u"brevo"_s, u"rehearsal"_s) && window.session()->plan()->generateTimeline();
    }

    /// Clicks a button of the page that starts a run and waits for the run to end.
    static bool runAndWait(QWidget *page, TransferController *transfer, const QString &button = u"runButton"_s)
    {
        QSignalSpy ended(transfer, &TransferController::finished);
        QSignalSpy failed(transfer, &TransferController::failed);
        click(page, button);
        return QTest::qWaitFor([&] { return !ended.isEmpty() || !failed.isEmpty(); }, 60000) && failed.isEmpty();
    }

    /// Waits until the stage runs and has handled some records (start() reads the keys first).
    static bool waitForProgress(TransferController *transfer, const QString &stageId)
    {
        return QTest::qWaitFor([&] {
            return transfer->runningStage() && transfer->runningStage()->id() == stageId
                && transfer->lastProgress().done > 0;
        }, 30000);
    }

    /// Approves the page's stage; a wave is compared with the target first (its integrity review).
    bool approve(QWidget *page, const QString &comment, IntegrityReview *review = nullptr)
    {
        if (review) {
            const StageRef ref = find<StageRunPanel>(page, u"stageRunPanel"_s)->stage();
            QSignalSpy done(review, &IntegrityReview::finished);
            QSignalSpy failed(review, &IntegrityReview::failed);
            if (!review->reviewStage(ref) || !QTest::qWaitFor([&] { return !done.isEmpty() || !failed.isEmpty(); }, 60000)
                || !failed.isEmpty())
                return false;
        }
        find<QLineEdit>(page, u"approveCommentEdit"_s)->setText(comment);
        click(page, u"approveButton"_s);
        return find<QLabel>(page, u"approvalLabel"_s)->text().startsWith(u"Approved by "_s);
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

    void backupSetupAndWavesThroughThePages();
    void interruptedRunIsOfferedOnOpening();
    void guiStaysResponsiveWith100kContacts();
};

void tst_Execution::backupSetupAndWavesThroughThePages()
{
    MainWindow window(&m_data, demoIn(u"demo-pages"_s));
    window.resize(1280, 900);
    window.show();
    QVERIFY(openDemo(window));
    ProjectSession *session = window.session();
    TransferController *transfer = session->transfer();
    MigrationWizard *wizard = window.wizard();

    // A mapping that makes values fail: the birthdays ("02/02") written into a number attribute of
    // their own (one only this test uses, so the shared demo sandbox keeps its BIRTHDAY).
    FieldMappingController *mapping = session->fieldMapping();
    int broken = -1;
    const QList<FieldMappingRow> rows = mapping->rows();
    for (int r = 0; r < rows.size() && broken < 0; ++r) {
        if (rows.at(r).kind == FieldMappingRow::Kind::Custom && rows.at(r).targets == QStringList{u"BIRTHDAY"_s})
            broken = r;
    }
    QVERIFY(broken >= 0);
    QVERIFY(mapping->setTargets(broken, {u"UI_TEST_NUMBER"_s}));
    QVERIFY2(mapping->setTargetType(broken, FieldType::Number), qPrintable(mapping->lastError() ? mapping->lastError()->toString() : QString()));

    // Backup: run, finished and verified, then approved.
    wizard->goToStep(StepId::Backup);
    QCOMPARE(wizard->currentStep(), StepId::Backup);
    QWidget *backup = wizard->currentPage();
    QCOMPARE(backup->objectName(), u"page_backup"_s);
    QCOMPARE(stateOf(backup), u"notRun"_s);
    QVERIFY(!find<QPushButton>(backup, u"approveButton"_s)->isEnabled());
    QVERIFY(runAndWait(backup, transfer));
    const QString backupState = find<QLabel>(backup, u"stageStateLabel"_s)->text();
    QCOMPARE(stateOf(backup), u"finished"_s);
    QVERIFY2(backupState.contains(u"2,500 contacts backed up, verified"_s), qPrintable(backupState));
    QProgressBar *bar = find<QProgressBar>(backup, u"stageProgressBar"_s);
    QCOMPARE(bar->value(), bar->maximum());
    QVERIFY(!find<QPlainTextEdit>(backup, u"stageLog"_s)->toPlainText().isEmpty());
    grab(backup, u"execution-backup.png"_s);
    // Initial setup waits for the approval, and says so.
    wizard->goToStep(StepId::InitialSetup);
    QLabel *blocked = find<QLabel>(wizard->currentPage(), u"stageBlockedLabel"_s);
    QVERIFY(QTest::qWaitFor([&] { return blocked->isVisible(); }, 10000));
    QVERIFY2(blocked->text().contains(u"Backup has not been approved. Review it and approve it before the next stage starts."_s),
             qPrintable(blocked->text()));
    QVERIFY(!find<QPushButton>(wizard->currentPage(), u"runButton"_s)->isEnabled());
    wizard->goToStep(StepId::Backup);
    QVERIFY(approve(backup, u"checked the folder"_s));
    QVERIFY(find<QLabel>(backup, u"approvalLabel"_s)->text().contains(u": checked the folder"_s));

    // Initial setup: blocked until the backup is approved (it is); a dry run says what it
    // would create, then the run creates it.
    wizard->goToStep(StepId::InitialSetup);
    QCOMPARE(wizard->currentStep(), StepId::InitialSetup);
    QWidget *setup = wizard->currentPage();
    QVERIFY(QTest::qWaitFor([&] { return find<QPushButton>(setup, u"runButton"_s)->isEnabled(); }, 10000));
    QVERIFY(runAndWait(setup, transfer, u"dryRunButton"_s));
    QLabel *dry = find<QLabel>(setup, u"dryRunResultLabel"_s);
    QVERIFY2(dry->text().contains(u"dry run"_s) && dry->text().contains(u"to create"_s), qPrintable(dry->text()));
    QVERIFY2(dry->text().contains(u"Field &quot;UI_TEST_NUMBER&quot;: would be created."_s), qPrintable(dry->text()));
    grab(setup, u"execution-setup-dryrun.png"_s);
    QCOMPARE(stateOf(setup), u"notRun"_s); // a dry run is not a run
    QVERIFY(find<QLabel>(setup, u"stageStateLabel"_s)->text().contains(u"Last dry run"_s));
    QVERIFY(runAndWait(setup, transfer));
    QCOMPARE(stateOf(setup), u"finished"_s);
    QVERIFY2(find<QLabel>(setup, u"stageStateLabel"_s)->text().contains(u" created, "_s), qPrintable(find<QLabel>(setup, u"stageStateLabel"_s)->text()));
    QVERIFY(approve(setup, u"lists and fields look right"_s));

    // Data transfer: the waves in a table.
    wizard->goToStep(StepId::DataTransfer);
    QCOMPARE(wizard->currentStep(), StepId::DataTransfer);
    auto *page = qobject_cast<DataTransferPage *>(wizard->currentPage());
    QVERIFY(page);
    auto *waves = find<QTableWidget>(page, u"wavesTable"_s);
    const qsizetype waveCount = transfer->stages().size() - 2;
    QVERIFY(waveCount >= 2);
    QCOMPARE(waves->rowCount(), int(waveCount));
    QCOMPARE(waves->item(0, DataTransferPage::ColStage)->text(), u"Wave 0: suppressions"_s);

    // Wave 0: cancelled mid-run (in small batches), then Run again finishes it; approved.
    page->selectWave(0);
    QCOMPARE(page->panel()->stage().id(), u"wave-0"_s);
    transfer->setBatchSize(20);
    click(page, u"runButton"_s);
    QVERIFY(waitForProgress(transfer, u"wave-0"_s));
    QCOMPARE(stateOf(page), u"running"_s);
    QVERIFY(!find<QPushButton>(page, u"runButton"_s)->isEnabled());
    QVERIFY(find<QPushButton>(page, u"cancelButton"_s)->isEnabled());
    click(page, u"cancelButton"_s);
    QVERIFY(QTest::qWaitFor([&] { return stateOf(page) == u"cancelled"_s; }, 1000));
    QCOMPARE(waves->item(0, DataTransferPage::ColState)->text(), u"cancelled"_s);
    QCOMPARE(find<QPushButton>(page, u"runButton"_s)->text(), u"Run again"_s);
    transfer->setBatchSize(0);
    QVERIFY(runAndWait(page, transfer));
    QVERIFY2(stateOf(page) == u"finished"_s || stateOf(page) == u"failed"_s, qPrintable(stateOf(page)));
    const StageStatus wave0 = transfer->status(StageRef{u"suppressions"_s, 0});
    QVERIFY(wave0.lastRun);
    QVERIFY2(wave0.lastRun->counts.value(u"pending"_s).toInteger() == 0, QJsonDocument(wave0.lastRun->counts).toJson().constData());
    QVERIFY(!approve(page, u"suppressions verified"_s)); // not compared with the target yet
    QVERIFY(approve(page, u"suppressions verified"_s, session->review()));
    QCOMPARE(waves->item(0, DataTransferPage::ColApproved)->text().section(u',', 0, 0), TransferController::currentUser());

    // Wave 1: a dry run first: what it would write, the fields, the rejections to expect.
    page->selectWave(1);
    QCOMPARE(page->panel()->stage().id(), u"wave-1"_s);
    QVERIFY(runAndWait(page, transfer, u"dryRunButton"_s));
    const QString wave1Dry = find<QLabel>(page, u"dryRunResultLabel"_s)->text();
    QVERIFY2(wave1Dry.contains(u"Wave 1: dry run, "_s) && wave1Dry.contains(u"By status:"_s)
                 && wave1Dry.contains(u"Fields filled:"_s) && wave1Dry.contains(u"FIRSTNAME: "_s)
                 && wave1Dry.contains(u"Sample rejections:"_s) && wave1Dry.contains(u"is not a plain number"_s),
             qPrintable(wave1Dry));
    QCOMPARE(stateOf(page), u"notRun"_s);

    // Then the run: paused (nothing moves), resumed, finished with the rejections of the broken field.
    transfer->setBatchSize(100);
    click(page, u"runButton"_s);
    QVERIFY(waitForProgress(transfer, u"wave-1"_s));
    grab(page, u"execution-running.png"_s);

    // The stage keeps running when the page is left; back on it, the page shows it again.
    wizard->goToStep(StepId::Backup);
    QCOMPARE(wizard->currentStep(), StepId::Backup);
    QVERIFY(transfer->isRunning());
    wizard->goToStep(StepId::DataTransfer);
    QCOMPARE(wizard->currentPage(), page);
    QCOMPARE(stateOf(page), u"running"_s);
    QCOMPARE(waves->item(1, DataTransferPage::ColState)->text(), u"running"_s);
    QVERIFY(find<QProgressBar>(page, u"stageProgressBar"_s)->value() > 0);
    QVERIFY(find<QLabel>(page, u"stageProgressLabel"_s)->text().contains(u"records/s"_s));
    QVERIFY(find<QPushButton>(page, u"pauseButton"_s)->isEnabled());
    click(page, u"pauseButton"_s);
    QVERIFY(QTest::qWaitFor([&] { return stateOf(page) == u"paused"_s; }, 1000));
    QCOMPARE(waves->item(1, DataTransferPage::ColState)->text(), u"paused"_s);
    QVERIFY(find<QPushButton>(page, u"resumeButton"_s)->isEnabled());
    QVERIFY(!find<QPushButton>(page, u"pauseButton"_s)->isEnabled());
    QTest::qWait(500); // the batch in flight ends
    const qint64 doneWhenPaused = transfer->lastProgress().done;
    const QString textWhenPaused = find<QLabel>(page, u"stageProgressLabel"_s)->text();
    QTest::qWait(1000);
    QCOMPARE(transfer->lastProgress().done, doneWhenPaused);
    QCOMPARE(find<QLabel>(page, u"stageProgressLabel"_s)->text(), textWhenPaused);
    QVERIFY(doneWhenPaused < transfer->lastProgress().total);
    click(page, u"resumeButton"_s);
    QVERIFY(QTest::qWaitFor([&] { return stateOf(page) == u"running"_s; }, 1000));
    QVERIFY(QTest::qWaitFor([&] { return transfer->lastProgress().done > doneWhenPaused; }, 10000));
    QVERIFY(QTest::qWaitFor([&] { return !transfer->isRunning(); }, 60000));
    transfer->setBatchSize(0);
    QCOMPARE(stateOf(page), u"failed"_s);
    QVERIFY(find<ThroughputChart>(page, u"throughputChart"_s)->pointCount() > 1);
    const StageStatus wave1 = transfer->status(StageRef{u"wave"_s, 1});
    const StageOutcome outcome = StageOutcome::fromRun(*wave1.lastRun);
    QVERIFY(outcome.failed > 0);
    QCOMPARE(outcome.written + outcome.failed, outcome.total);
    grab(page, u"execution-failed.png"_s);

    // The error report: one row per rejected contact, exported as CSV.
    auto *report = find<QTableView>(page, u"errorReportView"_s);
    QCOMPARE(report->model()->rowCount(), int(outcome.failed));
    const QString firstEmail = report->model()->index(0, 0).data().toString();
    QVERIFY(firstEmail.contains(u'@'));
    QVERIFY(find<QPushButton>(page, u"retryFailedButton"_s)->isEnabled());
    m_prompts.nextSavePath = m_dir.filePath(u"wave1-errors.csv"_s);
    click(page, u"exportErrorsButton"_s);
    QVERIFY(m_prompts.errors.isEmpty());
    QFile csv(m_prompts.nextSavePath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().split('\n');
    QCOMPARE(lines.first().trimmed(), QByteArray("\xEF\xBB\xBF" "email,code,message,batch,time"));
    QCOMPARE(lines.size() - 2, qsizetype(outcome.failed)); // the header and the empty piece after the last CRLF
    QVERIFY(lines.at(1).startsWith(firstEmail.toUtf8() + ','));

    // Retry failed rows: the same run again; the broken field fails the same rows again.
    QVERIFY(runAndWait(page, transfer, u"retryFailedButton"_s));
    QCOMPARE(stateOf(page), u"failed"_s);
    const StageStatus retried = transfer->status(StageRef{u"wave"_s, 1});
    QCOMPARE(retried.lastRun->id, wave1.lastRun->id);
    QCOMPARE(StageOutcome::fromRun(*retried.lastRun).failed, outcome.failed);
    QCOMPARE(StageOutcome::fromRun(*retried.lastRun).written, outcome.written);
    QVERIFY(find<QPlainTextEdit>(page, u"stageLog"_s)->toPlainText().contains(u"Continuing the run started"_s));

    // Approving a run with errors needs a comment that says why.
    QLabel *approveError = find<QLabel>(page, u"approveErrorLabel"_s);
    QVERIFY(!approve(page, QString(), session->review()));
    QVERIFY(approveError->isVisible());
    // The rejected contacts are not on the target: the review counts them missing.
    QVERIFY2(approveError->text().contains(u"Contacts are missing ("_s), qPrintable(approveError->text()));
    QVERIFY(approve(page, u"the test field is meant to fail"_s));
    QVERIFY(!approveError->isVisible());
    QVERIFY(!find<QPushButton>(page, u"retryFailedButton"_s)->isEnabled());
    QVERIFY(!find<QPushButton>(page, u"runButton"_s)->isEnabled()); // accepted: done
    grab(page, u"execution.png"_s);
}

void tst_Execution::interruptedRunIsOfferedOnOpening()
{
    m_prompts.questions.clear();
    MainWindow window(&m_data, demoIn(u"demo-resume"_s));
    window.resize(1280, 900);
    window.show();
    QVERIFY(openDemo(window));
    const QString projectPath = window.session()->store()->path();
    TransferController *transfer = window.session()->transfer();
    const auto runStage = [&](const StageRef &ref) {
        if (!transfer->start(ref))
            return false;
        if (!QTest::qWaitFor([&] { return transfer->isRunning(); }, 10000))
            return false;
        if (!QTest::qWaitFor([&] { return !transfer->isRunning(); }, 60000))
            return false;
        return transfer->approve(ref, u"tester"_s, u"ok"_s).ok();
    };
    QVERIFY(runStage(StageRef{u"backup"_s, 0}));
    QVERIFY(runStage(StageRef{u"setup"_s, 0}));
    QVERIFY(runStage(StageRef{u"suppressions"_s, 0}));

    // Wave 1 in small batches, the project closed while it runs: the run stops safely.
    transfer->setBatchSize(100);
    QVERIFY(transfer->start(StageRef{u"wave"_s, 1}));
    QVERIFY(waitForProgress(transfer, u"wave-1"_s));
    window.closeProject();
    QVERIFY(!window.session());
    QCOMPARE(m_prompts.questions.size(), qsizetype(1));
    QVERIFY2(m_prompts.questions.first().startsWith(u"A transfer stage (Wave 1) is running. It will stop safely"_s),
             qPrintable(m_prompts.questions.first()));

    // As if the application had been killed mid-run: the run is still "running" in the journal.
    {
        auto store = ProjectStore::open(projectPath);
        QVERIFY(store.ok());
        TransferJournal journal((*store)->database());
        auto runs = journal.runs(u"wave"_s);
        QVERIFY(runs.ok());
        QCOMPARE(runs->size(), qsizetype(1));
        QCOMPARE(runs->first().state, RunState::Cancelled);
        QVERIFY(journal.finishRun(runs->first().id, RunState::Running, runs->first().counts).ok());
    }

    // Opening it offers to resume; No leaves it interrupted, with Resume on its page.
    m_prompts.questions.clear();
    m_prompts.confirmAnswer = false;
    QVERIFY(window.openProject(projectPath));
    QCOMPARE(m_prompts.questions.size(), qsizetype(1));
    QVERIFY2(m_prompts.questions.first().startsWith(u"The last run of Wave 1 was interrupted"_s), qPrintable(m_prompts.questions.first()));
    QVERIFY(m_prompts.questions.first().endsWith(u"Resume it now?"_s));
    QVERIFY(!window.session()->transfer()->isRunning());
    window.wizard()->showStage(StageRef{u"wave"_s, 1});
    QCOMPARE(window.wizard()->currentStep(), StepId::DataTransfer);
    QWidget *page = window.wizard()->currentPage();
    QCOMPARE(stateOf(page), u"interrupted"_s);
    QVERIFY(QTest::qWaitFor([&] { return find<QPushButton>(page, u"resumeButton"_s)->isEnabled(); }, 10000));
    QCOMPARE(find<QTableWidget>(page, u"wavesTable"_s)->item(1, DataTransferPage::ColState)->text(), u"interrupted"_s);
    window.closeProject();

    // Yes goes to the stage and continues the run to its end.
    m_prompts.confirmAnswer = true;
    m_prompts.questions.clear();
    QVERIFY(window.openProject(projectPath));
    QCOMPARE(m_prompts.questions.size(), qsizetype(1));
    transfer = window.session()->transfer();
    QCOMPARE(window.wizard()->currentStep(), StepId::DataTransfer);
    page = window.wizard()->currentPage();
    QVERIFY(QTest::qWaitFor([&] { return transfer->isRunning(); }, 10000));
    QCOMPARE(transfer->runningStage()->id(), u"wave-1"_s);
    QVERIFY(QTest::qWaitFor([&] { return transfer->lastProgress().done > 100; }, 30000));
    QCOMPARE(stateOf(page), u"running"_s);
    grab(page, u"execution-resumed.png"_s);
    // Quitting while it runs asks first, in the transfer's words; No keeps everything running.
    m_prompts.confirmAnswer = false;
    m_prompts.questions.clear();
    QVERIFY(!window.close());
    QCOMPARE(m_prompts.questions.size(), qsizetype(1));
    QVERIFY2(m_prompts.questions.first().startsWith(u"A transfer stage (Wave 1) is running. It will stop safely"_s)
                 && m_prompts.questions.first().endsWith(u"Quit anyway?"_s),
             qPrintable(m_prompts.questions.first()));
    QVERIFY(transfer->isRunning());
    m_prompts.confirmAnswer = true;
    QVERIFY(QTest::qWaitFor([&] { return !transfer->isRunning(); }, 60000));
    QCOMPARE(stateOf(page), u"finished"_s);
    const StageStatus wave1 = transfer->status(StageRef{u"wave"_s, 1});
    QCOMPARE(wave1.lastRun->counts.value(u"pending"_s).toInteger(), qint64(0));
    QVERIFY(transfer->interruptedRuns().isEmpty());
    auto runs = transfer->journal().runs(u"wave"_s);
    QCOMPARE(runs->size(), qsizetype(1)); // the same run, continued
    QVERIFY(find<QPlainTextEdit>(page, u"stageLog"_s)->toPlainText().contains(u"Continuing the run started"_s));
}

void tst_Execution::guiStaysResponsiveWith100kContacts()
{
    const int contacts = qEnvironmentVariableIntValue("STAGECOACH_LATENCY_CONTACTS") > 0
        ? qEnvironmentVariableIntValue("STAGECOACH_LATENCY_CONTACTS") : 100000;
    SandboxHost host;
    SandboxHostOptions options;
    options.contacts = contacts;
    const auto endpoints = host.start(options);
    QVERIFY2(endpoints.ok(), qPrintable(endpoints.ok() ? QString() : endpoints.error().toString()));
    const auto mailchimp = host.endpoint(TargetPlatform::Mailchimp);
    // Klaviyo: it takes several batches at once, so every wave of the 100,000 runs in a minute or
    // two (Brevo's imports would take many minutes for no other kind of work).
    const auto klaviyo = host.endpoint(TargetPlatform::Klaviyo);
    QVERIFY(mailchimp && klaviyo);

    const QString path = m_dir.filePath(u"Latency.stagecoach"_s);
    {
        auto store = ProjectStore::create(path, u"Latency"_s);
        QVERIFY(store.ok());
        QVERIFY((*store)->setValue(ConnectionController::baseUrlKey(TargetPlatform::Mailchimp), mailchimp->apiRoot.toString()).ok());
        QVERIFY((*store)->setValue(ConnectionController::baseUrlKey(TargetPlatform::Klaviyo), klaviyo->apiRoot.toString()).ok());
    }
    qputenv(qPrintable(ConnectionController::keyEnvironmentVariable(TargetPlatform::Mailchimp)), mailchimp->apiKey.toUtf8());
    qputenv(qPrintable(ConnectionController::keyEnvironmentVariable(TargetPlatform::Klaviyo)), klaviyo->apiKey.toUtf8());

    MainWindow window(&m_data, {});
    window.resize(1280, 900);
    window.show();
    QVERIFY(window.openProject(path));
    ProjectSession *session = window.session();
    QElapsedTimer clock;
    clock.start();
    session->connections()->settings(
        TargetPlatform::Mailchimp,
        [&](Result<ConnectionSettings> settings) {
            QVERIFY(settings.ok());
            session->assessment()->assessFromApi(*settings, mailchimp->audienceId);
        },
        this);
    QVERIFY(QTest::qWaitFor([&] { return session->assessment()->state() == AssessmentController::State::Ready; }, 120000));
    QCOMPARE(session->assessment()->inventory()->total, qint64(contacts));
    qInfo("assessment of %d contacts through the API: %lld ms", contacts, clock.elapsed());
    QVERIFY(session->plan()->choose(u"klaviyo"_s, u"latency"_s));
    QVERIFY(session->plan()->generateTimeline());

    // The event loop's latency: how late a 5 ms timer fires while the stages run.
    QList<qint64> late;
    QList<qint64> lateInRun; // between started() and finished(): while records move
    bool inRun = false;
    QString current = u"start"_s;
    QMap<QString, qint64> worstByStage;
    QElapsedTimer tick;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    connect(&probe, &QTimer::timeout, this, [&] {
        if (tick.isValid()) {
            late.append(std::max<qint64>(0, tick.nsecsElapsed() / 1000 - 5000)); // microseconds
            worstByStage[current] = std::max(worstByStage.value(current), late.last());
            if (inRun)
                lateInRun.append(late.last());
        }
        tick.start();
    });

    TransferController *transfer = session->transfer();
    connect(transfer, &TransferController::started, this, [&] { inRun = true; });
    connect(transfer, &TransferController::finished, this, [&] { inRun = false; });
    MigrationWizard *wizard = window.wizard();
    qint64 moved = 0;
    qint64 biggestWave = 0;
    clock.restart();
    probe.start();
    for (const StageRef &ref : transfer->stages()) {
        current = ref.id();
        wizard->showStage(ref); // the page that shows it, repainting as progress comes
        QElapsedTimer stageClock;
        stageClock.start();
        // A real event loop while waiting (QTest::qWaitFor sleeps 10 ms between its rounds).
        QSignalSpy ended(transfer, &TransferController::finished);
        if (ref.isWave() && !qEnvironmentVariableIsEmpty("STAGECOACH_GRAB_DIR"))
            QTimer::singleShot(25000, wizard, [wizard] { grab(wizard, u"execution-100k.png"_s); });
        QVERIFY(transfer->start(ref));
        QVERIFY(ended.wait(180000));
        const StageStatus status = transfer->status(ref);
        QVERIFY(status.lastRun);
        const StageOutcome o = StageOutcome::fromRun(*status.lastRun);
        QCOMPARE(o.pending, qint64(0));
        qInfo("%s: %lld ms, %s", qPrintable(ref.id()), stageClock.elapsed(), qPrintable(o.summary()));
        if (ref.isWave()) {
            moved += o.written + o.failed;
            biggestWave = std::max(biggestWave, o.total);
        }
        QVERIFY(transfer->approve(ref, u"tester"_s, u"latency run"_s).ok());
    }
    probe.stop();
    QVERIFY(late.size() > 100);
    QVERIFY(lateInRun.size() > 100);
    std::sort(late.begin(), late.end());
    std::sort(lateInRun.begin(), lateInRun.end());
    const auto ms = [](const QList<qint64> &sorted, double q) { return sorted.at(qsizetype((sorted.size() - 1) * q)) / 1000.0; };
    qInfo("GUI latency of a 5 ms timer over %lld ms (%lld contacts backed up, %lld written or rejected in "
          "every wave, the biggest wave %lld):",
          clock.elapsed(), qint64(contacts), moved, biggestWave);
    qInfo("  while the stages ran (%lld samples): max %.1f ms, p99 %.1f ms, median %.2f ms",
          qint64(lateInRun.size()), ms(lateInRun, 1), ms(lateInRun, 0.99), ms(lateInRun, 0.5));
    qInfo("  overall, with the page updates between stages (%lld samples): max %.1f ms, p99 %.1f ms, %lld over 50 ms",
          qint64(late.size()), ms(late, 1), ms(late, 0.99),
          qint64(std::count_if(late.cbegin(), late.cend(), [](qint64 us) { return us > 50000; })));
    for (auto it = worstByStage.cbegin(); it != worstByStage.cend(); ++it)
        qInfo("  worst while on %s: %.1f ms", qPrintable(it.key()), it.value() / 1000.0);
    QVERIFY(moved > contacts / 2); // every wave ran (those without consent are not written)
    // The requirement is 50 ms while records move; the bound here is generous so that a loaded
    // machine does not make the test flaky. The figures above are the measurement.
    QVERIFY2(ms(lateInRun, 1) < 250, qPrintable(u"max latency %1 ms"_s.arg(ms(lateInRun, 1))));
    qunsetenv(qPrintable(ConnectionController::keyEnvironmentVariable(TargetPlatform::Mailchimp)));
    qunsetenv(qPrintable(ConnectionController::keyEnvironmentVariable(TargetPlatform::Klaviyo)));
}

QTEST_MAIN(tst_Execution)
#include "tst_execution.moc"
