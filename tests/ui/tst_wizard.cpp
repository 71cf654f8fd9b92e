#include "assessment/assessmentcontroller.h"
#include "project/referencedata.h"
#include "dialogs/prompts.h"
#include "mainwindow.h"
#include "pages/exportspage.h"
#include "plan/plancontroller.h"
#include "plan/fieldmappingcontroller.h"
#include "connectors/connectioncontroller.h"
#include "sandbox/brevosandbox.h"
#include "sandbox/sandboxserver.h"
#include "widgets/ganttwidget.h"
#include "project/demoproject.h"
#include "project/projectsession.h"
#include "store/projectstore.h"
#include "testsupport.h"
#include "wizard/migrationwizard.h"
#include "wizard/steplist.h"

#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPdfDocument>
#include <QPdfView>
#include <QPlainTextEdit>
#include <QListWidget>
#include <QMimeData>
#include <QWizardPage>
#include <QPushButton>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QSqlQuery>
#include <QTableWidget>
#include <QTextCursor>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

/** Answers the dialogs the way the test says, and records the errors shown. */
class ScriptedPrompts : public Prompts
{
public:
    QString nextProjectPath;
    QString nextSavePath;
    QStringList nextExportFiles;
    QStringList errors;

    QString newProjectPath(QWidget *, const QString &) override { return nextProjectPath; }
    QString openProjectPath(QWidget *, const QString &) override { return nextProjectPath; }
    QString saveAsPath(QWidget *, const QString &) override { return nextProjectPath; }
    QString saveFilePath(QWidget *, const QString &, const QString &, const QString &) override { return nextSavePath; }
    QStringList exportFiles(QWidget *, const QString &) override { return nextExportFiles; }
    void showError(QWidget *, const QString &, const Error &error) override { errors.append(error.toString()); }
    bool confirm(QWidget *, const QString &, const QString &) override { return true; }
};

QByteArray exportCsv()
{
    // 6 rows: 1 duplicate (case and spaces), 1 invalid address; tags VIP x2, Spring x1.
    return "Email Address,First Name,Birthday,MEMBER_RATING,OPTIN_TIME,CONFIRM_TIME,LAST_CHANGED,TAGS\r\n"
           "ann@example.com,Ann,05/17,5,2024-01-02 10:00:00,2024-01-02 10:05:00,2026-10-01 10:00:00,\"\"\"VIP\"\"\"\r\n"
           "bob@example.com,Bob,12/01,3,2024-02-02 10:00:00,,2026-09-01 10:00:00,\"\"\"VIP\"\",\"\"Spring\"\"\"\r\n"
           "carl@example.com,Carl,,2,,,2023-01-01 10:00:00,\r\n"
           " ANN@Example.com ,Ann again,,1,,,2026-10-02 10:00:00,\r\n"
           "dora@example,Dora,,1,,,2026-10-03 10:00:00,\r\n"
           "eve@example.com,\"Eve, \"\"E\"\"\",01/31,4,2024-03-03 10:00:00,2024-03-03 10:00:00,2026-10-04 10:00:00,\r\n";
}

template<typename T>
T *find(QWidget *root, const QString &name)
{
    T *w = root->findChild<T *>(name);
    if (!w)
        qFatal("no widget named %s", qPrintable(name));
    return w;
}

/// Saves what the user would see as a PNG when STAGECOACH_GRAB_DIR names a folder (to look at the pages).
void grab(QWidget *widget, const QString &file)
{
    const QString dir = qEnvironmentVariable("STAGECOACH_GRAB_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(50); // let pending layouts run, as they would before a person looks
    widget->window()->grab().save(dir + u'/' + file);
}

} // namespace

class tst_Wizard : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ScriptedPrompts m_prompts;
    ReferenceData m_data;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        Prompts::setInstance(&m_prompts);
        auto data = ReferenceData::load(QStringLiteral(STAGECOACH_SOURCE_DIR) + u"/resources"_s);
        QVERIFY2(data.ok(), qPrintable(data.ok() ? QString() : data.error().toString()));
        m_data = std::move(data).value();
    }

    void cleanupTestCase() { Prompts::setInstance(nullptr); }

    void createAssessCloseReopen()
    {
        const QString projectPath = m_dir.filePath(u"Spring move.stagecoach"_s);
        const QString exportPath = TestSupport::writeFile(m_dir.path(), u"subscribed_members_export_9.csv"_s, exportCsv());
        QVERIFY(!exportPath.isEmpty());

        MainWindow window(&m_data, {});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.windowTitle(), u"Stagecoach"_s);

        // New project from the start page.
        m_prompts.nextProjectPath = projectPath;
        QTest::mouseClick(find<QPushButton>(&window, u"newProjectButton"_s), Qt::LeftButton);
        QVERIFY(window.session());
        QVERIFY(window.windowTitle().contains(u"Spring move.stagecoach"_s));
        MigrationWizard *wizard = window.wizard();
        // A new project starts with its connections; keys are optional, so Next is open.
        QCOMPARE(wizard->currentStep(), StepId::Connections);
        QCOMPARE(wizard->currentPage()->objectName(), u"page_connections"_s);
        QAbstractButton *next = find<QAbstractButton>(wizard, u"nextButton"_s);
        QVERIFY(next->isEnabled());
        QTest::mouseClick(next, Qt::LeftButton);
        QCOMPARE(wizard->currentStep(), StepId::Assessment);
        QVERIFY(!next->isEnabled()); // nothing assessed yet

        // Every step of the migration is listed beside the wizard.
        StepList *steps = wizard->stepList();
        QVERIFY(steps->rowOf(StepId::DataTransfer) > 0);
        QVERIFY(steps->rowOf(StepId::Connections) < steps->rowOf(StepId::Assessment));
        QCOMPARE(steps->rowOf(StepId::FieldMapping), steps->rowOf(StepId::PlatformChoice) + 1);
        QCOMPARE(steps->rowOf(StepId::Timeline), steps->rowOf(StepId::FieldMapping) + 1);
        QCOMPARE(steps->item(steps->rowOf(StepId::Connections))->text(), u"1.  Connections"_s);
        QCOMPARE(steps->item(steps->rowOf(StepId::FieldMapping))->text(), u"5.  Field mapping"_s);
        QVERIFY(steps->rowOf(StepId::Exports) > steps->rowOf(StepId::Review));

        // Import the export through the Add button; it runs in the background.
        m_prompts.nextExportFiles = {exportPath};
        QTest::mouseClick(find<QPushButton>(wizard, u"addFilesButton"_s), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return next->isEnabled(); }, 20000));

        // The inventory as the user sees it.
        QLabel *headline = find<QLabel>(wizard, u"overviewHeadline"_s);
        QVERIFY2(headline->text().contains(u"6 contacts"_s), qPrintable(headline->text()));
        QVERIFY(headline->text().contains(u"Mailchimp"_s));
        QLabel *figures = find<QLabel>(wizard, u"overviewFigures"_s);
        QVERIFY2(figures->text().contains(u"Duplicate addresses</td><td align=right>&nbsp;&nbsp;1<"_s), qPrintable(figures->text()));
        QVERIFY(figures->text().contains(u"Invalid addresses</td><td align=right>&nbsp;&nbsp;1<"_s));
        QTableView *fields = find<QTableView>(wizard, u"fieldsView"_s);
        QCOMPARE(fields->model()->rowCount(), 7);
        QCOMPARE(fields->model()->index(1, 0).data().toString(), u"Birthday"_s);
        QCOMPARE(fields->model()->index(1, 1).data().toString(), u"Birthday"_s); // the inferred type
        QTableView *tags = find<QTableView>(wizard, u"tagsView"_s);
        QCOMPARE(tags->model()->rowCount(), 2);
        QCOMPARE(tags->model()->index(0, 0).data().toString(), u"VIP"_s);
        QCOMPARE(tags->model()->index(0, 1).data().toString(), u"2"_s);
        tags->sortByColumn(1, Qt::AscendingOrder); // clicking "Contacts" sorts by the count
        QCOMPARE(tags->model()->index(0, 0).data().toString(), u"Spring"_s);
        tags->sortByColumn(0, Qt::DescendingOrder);
        QCOMPARE(tags->model()->index(0, 0).data().toString(), u"VIP"_s);
        QTableView *invalid = find<QTableView>(wizard, u"invalidView"_s);
        QCOMPARE(invalid->model()->rowCount(), 1);
        QCOMPARE(invalid->model()->index(0, 0).data().toString(), u"dora@example"_s);
        QCOMPARE(invalid->model()->index(0, 2).data().toLongLong(), 6);
        QCOMPARE(find<QListWidget>(wizard, u"exportFiles"_s)->count(), 1);

        // Choosing the intended target adds its checks to the risks.
        QTabWidget *tabs = find<QTabWidget>(wizard, u"resultTabs"_s);
        QTableView *risks = find<QTableView>(wizard, u"risksView"_s);
        const auto riskTitles = [&] {
            QStringList titles;
            for (int r = 0; r < risks->model()->rowCount(); ++r)
                titles.append(risks->model()->index(r, 1).data().toString());
            return titles.join(u'|');
        };
        QVERIFY(riskTitles().contains(u"No target chosen yet"_s));
        QComboBox *target = find<QComboBox>(wizard, u"targetCombo"_s);
        target->setCurrentIndex(target->findData(u"klaviyo"_s));
        QVERIFY2(riskTitles().contains(u"Tags have no direct equivalent on Klaviyo"_s), qPrintable(riskTitles()));
        QVERIFY(!riskTitles().contains(u"No target chosen yet"_s));
        tabs->setCurrentIndex(tabs->count() - 1);

        // A hand-entered automation.
        tabs->setCurrentIndex(tabs->indexOf(tabs->findChild<QTabWidget *>(u"assetsTabs"_s)));
        QTest::mouseClick(find<QPushButton>(wizard, u"addAsset_automation"_s), Qt::LeftButton);
        QTableView *automations = find<QTableView>(wizard, u"assetsView_automation"_s);
        QCOMPARE(automations->model()->rowCount(), 1);
        QVERIFY(automations->model()->setData(automations->model()->index(0, 0), u"Welcome series"_s));
        QVERIFY(riskTitles().contains(u"Automations are rebuilt by hand"_s));
        const int assetsTab = tabs->currentIndex();

        // A bad file: a clear error, and the page stays as it was.
        const QString ragged = TestSupport::writeFile(m_dir.path(), u"cleaned_members_export_9.csv"_s,
                                                      "Email Address,First Name\r\nx@example.com,X,extra\r\n");
        m_prompts.nextExportFiles = {ragged};
        QTest::mouseClick(find<QPushButton>(wizard, u"addFilesButton"_s), Qt::LeftButton);
        QLabel *error = find<QLabel>(wizard, u"assessmentError"_s);
        QVERIFY(QTest::qWaitFor([&] { return error->isVisible(); }, 20000));
        QVERIFY2(error->text().contains(u"cleaned_members_export_9.csv line 2"_s), qPrintable(error->text()));
        QCOMPARE(find<QListWidget>(wizard, u"exportFiles"_s)->count(), 1);
        QVERIFY(headline->text().contains(u"6 contacts"_s));
        QVERIFY(next->isEnabled());

        // On to the next step.
        QTest::mouseClick(next, Qt::LeftButton);
        QCOMPARE(wizard->currentStep(), StepId::Objectives);
        QCOMPARE(wizard->currentPage()->objectName(), u"page_objectives"_s);

        // Close, then reopen from the recent list: everything as it was left.
        window.findChild<QAction *>(u"actionClose"_s)->trigger();
        QVERIFY(!window.session());
        QCOMPARE(window.windowTitle(), u"Stagecoach"_s);
        QListWidget *recent = find<QListWidget>(&window, u"recentList"_s);
        QVERIFY(recent->count() >= 1);
        QCOMPARE(recent->item(0)->data(Qt::UserRole).toString(), projectPath);
        Q_EMIT recent->itemActivated(recent->item(0));
        QVERIFY(window.session());
        wizard = window.wizard();
        QCOMPARE(wizard->currentStep(), StepId::Objectives);
        wizard->back();
        QCOMPARE(wizard->currentStep(), StepId::Assessment);
        QVERIFY(find<QLabel>(wizard, u"overviewHeadline"_s)->text().contains(u"6 contacts"_s));
        QCOMPARE(find<QTableView>(wizard, u"fieldsView"_s)->model()->rowCount(), 7);
        QCOMPARE(find<QComboBox>(wizard, u"targetCombo"_s)->currentData().toString(), u"klaviyo"_s);
        QCOMPARE(find<QTabWidget>(wizard, u"resultTabs"_s)->currentIndex(), assetsTab);
        QTableView *reopenedAutomations = find<QTableView>(wizard, u"assetsView_automation"_s);
        QCOMPARE(reopenedAutomations->model()->index(0, 0).data().toString(), u"Welcome series"_s);
        QCOMPARE(find<QListWidget>(wizard, u"exportFiles"_s)->count(), 1);

        // Save As: the window continues on the copy.
        const QString copyPath = m_dir.filePath(u"Spring move copy.stagecoach"_s);
        m_prompts.nextProjectPath = copyPath;
        window.findChild<QAction *>(u"actionSaveAs"_s)->trigger();
        QVERIFY2(m_prompts.errors.isEmpty(), qPrintable(m_prompts.errors.join(u'\n')));
        QVERIFY(window.windowTitle().contains(u"Spring move copy.stagecoach"_s));
        QCOMPARE(window.session()->store()->path(), copyPath);
    }

    void openingAForeignFileSaysWhyAndKeepsTheWindow()
    {
        const QString bogus = TestSupport::writeFile(m_dir.path(), u"notes.stagecoach"_s, "just some notes\n");
        MainWindow window(&m_data, {});
        window.show();
        m_prompts.errors.clear();
        QVERIFY(!window.openProject(bogus));
        QCOMPARE(m_prompts.errors.size(), 1);
        QVERIFY2(m_prompts.errors.first().contains(u"not a Stagecoach project"_s), qPrintable(m_prompts.errors.first()));
        QVERIFY(!window.session());
        QFile f(bogus);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("just some notes\n"));
    }

    void clickingTheStepListNavigates()
    {
        const QString projectPath = m_dir.filePath(u"Steps.stagecoach"_s);
        const QString exportPath = TestSupport::writeFile(m_dir.path(), u"subscribed_members_export_s.csv"_s, exportCsv());
        MainWindow window(&m_data, {});
        window.show();
        m_prompts.nextProjectPath = projectPath;
        window.newProject();
        MigrationWizard *wizard = window.wizard();
        // Nothing assessed: the step list cannot skip ahead of an incomplete page.
        wizard->goToStep(StepId::Timeline);
        QCOMPARE(wizard->currentStep(), StepId::Assessment);
        window.session()->assessment()->addFiles({exportPath});
        QVERIFY(QTest::qWaitFor([&] { return window.session()->assessment()->state() == AssessmentController::State::Ready; }, 20000));
        StepList *steps = wizard->stepList();
        QTest::mouseClick(steps->viewport(), Qt::LeftButton, {},
                          steps->visualItemRect(steps->item(steps->rowOf(StepId::Timeline))).center());
        QCOMPARE(wizard->currentStep(), StepId::Timeline);
        QCOMPARE(steps->currentRow(), steps->rowOf(StepId::Timeline));
        QTest::mouseClick(steps->viewport(), Qt::LeftButton, {},
                          steps->visualItemRect(steps->item(steps->rowOf(StepId::Assessment))).center());
        QCOMPARE(wizard->currentStep(), StepId::Assessment);
    }

    void planningFromAssessmentToSavedPdf()
    {
        const QString exportPath = TestSupport::writeFile(m_dir.path(), u"subscribed_members_export_p.csv"_s, exportCsv());
        MainWindow window(&m_data, {});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        m_prompts.nextProjectPath = m_dir.filePath(u"Plan.stagecoach"_s);
        m_prompts.errors.clear();
        window.newProject();
        MigrationWizard *wizard = window.wizard();
        window.session()->assessment()->addFiles({exportPath});
        QAbstractButton *next = find<QAbstractButton>(wizard, u"nextButton"_s);
        QTest::mouseClick(next, Qt::LeftButton); // past the connections
        QCOMPARE(wizard->currentStep(), StepId::Assessment);
        QVERIFY(QTest::qWaitFor([&] { return next->isEnabled(); }, 20000));
        QTest::mouseClick(next, Qt::LeftButton);

        // Objectives: a common goal from the menu brings its KPIs; a threshold is changed in the table.
        QCOMPARE(wizard->currentStep(), StepId::Objectives);
        QTableView *objectives = find<QTableView>(wizard, u"objectivesTable"_s);
        QLabel *noObjectives = find<QLabel>(wizard, u"objectivesEmptyLabel"_s);
        QVERIFY(noObjectives->isVisible());
        find<QAction>(wizard, u"goal_deliverability"_s)->trigger();
        QCOMPARE(objectives->model()->rowCount(), 3);
        QVERIFY(QTest::qWaitFor([&] { return !noObjectives->isVisible(); }, 2000));
        QVERIFY(objectives->model()->setData(objectives->model()->index(0, PlanController::ObjThreshold), 1.5));
        QCOMPARE(objectives->model()->index(0, PlanController::ObjThreshold).data().toString(), u"1.5"_s);
        QTest::mouseClick(next, Qt::LeftButton);

        // Platform choice: the matrix ranks the candidates (not Mailchimp, the source); pick Brevo with reasons.
        QCOMPARE(wizard->currentStep(), StepId::PlatformChoice);
        QTableView *matrix = find<QTableView>(wizard, u"scoringTable"_s);
        QVERIFY(matrix->model()->rowCount() > 3);
        QVERIFY(matrix->model()->columnCount() >= ScoringModel::FirstPlatformColumn + 5);
        for (int c = ScoringModel::FirstPlatformColumn; c < matrix->model()->columnCount(); ++c)
            QVERIFY(!matrix->model()->headerData(c, Qt::Horizontal).toString().contains(u"Mailchimp"_s));
        QComboBox *target = find<QComboBox>(wizard, u"chosenPlatformCombo"_s);
        const int brevo = target->findData(u"brevo"_s);
        QVERIFY(brevo >= 0);
        target->setCurrentIndex(brevo);
        QTest::keyClicks(find<QPlainTextEdit>(wizard, u"reasonsEdit"_s), u"Transactional email on the same account"_s);
        QTest::mouseClick(find<QPushButton>(wizard, u"recordDecisionButton"_s), Qt::LeftButton);
        QVERIFY2(find<QLabel>(wizard, u"decisionLabel"_s)->text().contains(u"Brevo"_s),
                 qPrintable(find<QLabel>(wizard, u"decisionLabel"_s)->text()));
        QCOMPARE(window.session()->plan()->choice().reasons, u"Transactional email on the same account"_s);
        QTest::mouseClick(next, Qt::LeftButton);

        // Field mapping: suggested for Brevo; a name typed into the table is checked and saved.
        QCOMPARE(wizard->currentStep(), StepId::FieldMapping);
        QTableView *mapping = find<QTableView>(wizard, u"fieldMappingTable"_s);
        QCOMPARE(mapping->model()->rowCount(), 7);
        QLabel *summary = find<QLabel>(wizard, u"fieldMappingSummary"_s);
        QCOMPARE(summary->text(), u"7 fields: 4 mapped, 1 created on Brevo, 2 not transferred"_s);
        QVERIFY(!find<QLabel>(wizard, u"fieldMappingNote"_s)->isVisible());
        QCOMPARE(find<QTableView>(wizard, u"unmappedTable"_s)->model()->rowCount(), 2);
        const QModelIndex birthday = mapping->model()->index(1, FieldMappingController::ColTargets);
        QCOMPARE(mapping->model()->index(1, FieldMappingController::ColSource).data().toString(), u"Birthday"_s);
        const auto typeInto = [&](const QModelIndex &index, const QString &text) {
            mapping->setCurrentIndex(index);
            mapping->edit(index);
            auto *editor = mapping->viewport()->findChild<QLineEdit *>();
            QVERIFY(editor);
            editor->selectAll();
            QTest::keyClicks(editor, text);
            QCOMPARE(editor->text(), text);
            // What Return or leaving the cell does.
            Q_EMIT mapping->itemDelegateForIndex(index)->commitData(editor);
            Q_EMIT mapping->itemDelegateForIndex(index)->closeEditor(editor);
            QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        };
        typeInto(birthday, u"birth day"_s);
        QLabel *mappingError = find<QLabel>(wizard, u"fieldMappingError"_s);
        QVERIFY(mappingError->isVisible());
        QVERIFY2(mappingError->text().contains(u"For example: BIRTH_DAY"_s), qPrintable(mappingError->text()));
        QCOMPARE(birthday.data().toString(), u"BIRTHDAY"_s);
        typeInto(birthday, u"BIRTH_DAY"_s);
        QCOMPARE(birthday.data().toString(), u"BIRTH_DAY"_s);
        QVERIFY(!mappingError->isVisible());
        // The kind through its combo box: Birthday is left out.
        const QModelIndex kind = mapping->model()->index(1, FieldMappingController::ColKind);
        mapping->setCurrentIndex(kind);
        mapping->edit(kind);
        auto *kindEditor = mapping->viewport()->findChild<QComboBox *>(u"kindEditor"_s);
        QVERIFY(kindEditor);
        kindEditor->setCurrentIndex(kindEditor->findData(u"unmapped"_s));
        Q_EMIT mapping->itemDelegateForColumn(FieldMappingController::ColKind)->commitData(kindEditor);
        QCOMPARE(kind.data().toString(), u"Not written"_s);
        QCOMPARE(summary->text(), u"7 fields: 4 mapped, 0 created on Brevo, 3 not transferred"_s);
        mapping->setCurrentIndex(kind);
        QTest::mouseClick(find<QPushButton>(wizard, u"resetRowButton"_s), Qt::LeftButton);
        QCOMPARE(birthday.data().toString(), u"BIRTHDAY"_s);
        typeInto(birthday, u"BIRTH_DAY"_s);
        QTest::mouseClick(next, Qt::LeftButton);

        // Timeline: generated on arrival, shown as stages, Gantt chart and checklist.
        QCOMPARE(wizard->currentStep(), StepId::Timeline);
        QTableView *stages = find<QTableView>(wizard, u"stagesTable"_s);
        QVERIFY(stages->model()->rowCount() >= 10);
        QVERIFY(find<QLabel>(wizard, u"timelineStatusLabel"_s)->text().contains(u"stages"_s));
        GanttWidget *gantt = find<GanttWidget>(wizard, u"ganttChart"_s);
        QVERIFY(gantt->heightForWidth(900) > stages->model()->rowCount() * 10);
        QVERIFY(find<QTableView>(wizard, u"checklistTable"_s)->model()->rowCount() > stages->model()->rowCount());
        // The resource allocation: who carries how many stages and days.
        QTableWidget *workload = find<QTableWidget>(wizard, u"workloadTable"_s);
        QVERIFY(workload->rowCount() >= 3);
        QCOMPARE(workload->item(0, 0)->text(), u"Migration owner"_s); // backup, training, go-live, review
        QCOMPARE(workload->item(0, 2)->text(), u"8"_s);
        QLineEdit *owner = find<QLineEdit>(wizard, u"ownerEdit"_s);
        owner->setFocus();
        QTest::keyClicks(owner, u"Ana Lima"_s);
        QTest::keyClick(owner, Qt::Key_Return);
        QCOMPARE(window.session()->plan()->owner(), u"Ana Lima"_s);

        // Criteria typed for one stage are kept for that stage when another is picked at once.
        PlanController *plan = window.session()->plan();
        find<QTabWidget>(wizard, u"timelineTabs"_s)->setCurrentIndex(1);
        stages->setCurrentIndex(stages->model()->index(0, 0)); // Backup
        QPlainTextEdit *entry = find<QPlainTextEdit>(wizard, u"entryCriteriaEdit"_s);
        entry->moveCursor(QTextCursor::End);
        QTest::keyClick(entry, Qt::Key_Return);
        QTest::keyClicks(entry, u"Legal has signed off"_s);
        stages->setCurrentIndex(stages->model()->index(1, 0)); // Initial setup, before the save timer fired
        QVERIFY(plan->timeline().stages.at(0).entryCriteria.endsWith(u"\nLegal has signed off"_s));
        QVERIFY(!plan->timeline().stages.at(1).entryCriteria.contains(u"Legal"_s));
        QVERIFY(!entry->toPlainText().contains(u"Legal"_s)); // the editor shows the setup's criteria
        // Ticking a stage in "Starts after" adds the dependency; unticking removes it.
        stages->setCurrentIndex(stages->model()->index(stages->model()->rowCount() - 1, 0)); // Post-migration review
        QListWidget *depends = find<QListWidget>(wizard, u"dependsList"_s);
        QListWidgetItem *templates = depends->findItems(u"Templates and history"_s, Qt::MatchExactly).value(0);
        QVERIFY(templates);
        QCOMPARE(templates->checkState(), Qt::Unchecked);
        templates->setCheckState(Qt::Checked);
        QVERIFY(QTest::qWaitFor([&] { return plan->timeline().find(u"review")->dependsOn.contains(u"templates"_s); }, 2000));
        QVERIFY(plan->timeline().find(u"review")->dependsOn.contains(u"golive"_s));
        templates = depends->findItems(u"Templates and history"_s, Qt::MatchExactly).value(0);
        QCOMPARE(templates->checkState(), Qt::Checked);
        templates->setCheckState(Qt::Unchecked);
        QVERIFY(QTest::qWaitFor([&] { return !plan->timeline().find(u"review")->dependsOn.contains(u"templates"_s); }, 2000));

        // A change that cannot be saved says so and the field shows what the file holds.
        QSqlQuery readOnly(window.session()->store()->database());
        QVERIFY(readOnly.exec(u"PRAGMA query_only = ON"_s));
        owner->setFocus();
        owner->selectAll();
        QTest::keyClicks(owner, u"Somebody else"_s);
        QTest::keyClick(owner, Qt::Key_Return);
        QCOMPARE(m_prompts.errors.size(), 1);
        QVERIFY2(m_prompts.errors.first().contains(u"could not be saved"_s), qPrintable(m_prompts.errors.first()));
        QCOMPARE(owner->text(), u"Ana Lima"_s);
        QVERIFY(readOnly.exec(u"PRAGMA query_only = OFF"_s));
        m_prompts.errors.clear();
        // Four more days of setup move go-live by four working days.
        const QDate golive = window.session()->plan()->timeline().find(u"golive")->start;
        int setupRow = -1;
        for (int r = 0; r < stages->model()->rowCount(); ++r) {
            if (window.session()->plan()->timeline().stages.at(r).key == u"setup")
                setupRow = r;
        }
        const QModelIndex days = stages->model()->index(setupRow, PlanController::StageDays);
        QVERIFY(stages->model()->setData(days, days.data(Qt::EditRole).toInt() + 4));
        QCOMPARE(window.session()->plan()->timeline().find(u"golive")->start, WorkingDays::add(golive, 4));

        // Exports: the plan PDF is previewed, then saved; the checklist goes to CSV.
        wizard->goToStep(StepId::Exports);
        QCOMPARE(wizard->currentStep(), StepId::Exports);
        auto *exports = qobject_cast<ExportsPage *>(wizard->currentPage());
        QVERIFY(exports);
        QVERIFY(QTest::qWaitFor([&] { return !exports->isRendering() && !exports->previewBytes().isEmpty(); }, 30000));
        QPdfView *preview = find<QPdfView>(wizard, u"pdfPreview"_s);
        QVERIFY(preview->document()->pageCount() >= 4);
        const QString pdfPath = m_dir.filePath(u"plan.pdf"_s);
        m_prompts.nextSavePath = pdfPath;
        QTest::mouseClick(find<QPushButton>(wizard, u"savePdfButton"_s), Qt::LeftButton);
        QVERIFY2(m_prompts.errors.isEmpty(), qPrintable(m_prompts.errors.join(u'\n')));
        QPdfDocument saved;
        QCOMPARE(saved.load(pdfPath), QPdfDocument::Error::None);
        QString text;
        for (int page = 0; page < saved.pageCount(); ++page)
            text += saved.getAllText(page).text() + u'\n';
        for (const QString &expected : {u"Migration plan"_s, u"Plan"_s, u"Brevo"_s, u"Ana Lima"_s, u"Hard bounce rate"_s,
                                        u"Transactional email on the same account"_s, u"Sign-off"_s})
            QVERIFY2(text.contains(expected), qPrintable(expected));

        const QString csvPath = m_dir.filePath(u"checklist.csv"_s);
        m_prompts.nextSavePath = csvPath;
        QTest::mouseClick(find<QPushButton>(wizard, u"exportsChecklist_csv"_s), Qt::LeftButton);
        QLabel *previewStatus = find<QLabel>(wizard, u"previewStatusLabel"_s);
        QVERIFY(QTest::qWaitFor([&] { return previewStatus->text().contains(u"Checklist saved"_s); }, 10000));
        QVERIFY2(m_prompts.errors.isEmpty(), qPrintable(m_prompts.errors.join(u'\n')));
        // The checklist alone as PDF, and a failed write that says where and why.
        const QString checklistPdf = m_dir.filePath(u"checklist.pdf"_s);
        m_prompts.nextSavePath = checklistPdf;
        QTest::mouseClick(find<QPushButton>(wizard, u"exportsChecklist_pdf"_s), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return previewStatus->text().contains(u"checklist.pdf"_s); }, 20000));
        QPdfDocument checklist;
        QCOMPARE(checklist.load(checklistPdf), QPdfDocument::Error::None);
        QVERIFY(checklist.getAllText(0).text().contains(u"Migration checklist"_s));
        m_prompts.nextSavePath = m_dir.filePath(u"no such folder/checklist.md"_s);
        QTest::mouseClick(find<QPushButton>(wizard, u"exportsChecklist_md"_s), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !m_prompts.errors.isEmpty(); }, 10000));
        QVERIFY2(m_prompts.errors.first().contains(u"no such folder"_s), qPrintable(m_prompts.errors.first()));
        m_prompts.errors.clear();
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QVERIFY(csv.readLine().contains("Stage,Task,Owner,Due,Status"));

        // Everything is in the project: reopened, the plan is as it was left.
        window.findChild<QAction *>(u"actionClose"_s)->trigger();
        QVERIFY(window.openProject(m_dir.filePath(u"Plan.stagecoach"_s)));
        QCOMPARE(window.wizard()->currentStep(), StepId::Exports);
        QCOMPARE(window.session()->plan()->choice().platformId, u"brevo"_s);
        QCOMPARE(window.session()->plan()->objectives().first().threshold, 1.5);
        QCOMPARE(window.session()->plan()->timeline().find(u"golive")->start, WorkingDays::add(golive, 4));
        window.wizard()->goToStep(StepId::Templates);
        QCOMPARE(window.wizard()->currentStep(), StepId::Templates);
        QVERIFY(find<QLabel>(window.wizard()->currentPage(), u"placeholderNotice"_s)->text().contains(u"Not available yet"_s));
        // The mapping as it was edited.
        window.wizard()->goToStep(StepId::FieldMapping);
        QCOMPARE(window.wizard()->currentStep(), StepId::FieldMapping);
        QTableView *reopened = find<QTableView>(window.wizard(), u"fieldMappingTable"_s);
        QCOMPARE(reopened->model()->index(1, FieldMappingController::ColTargets).data().toString(), u"BIRTH_DAY"_s);
        grab(window.wizard(), u"fieldmapping.png"_s);
    }

    void demoProjectIsAssessedOnFirstOpen()
    {
        const QString bundled = QStringLiteral(STAGECOACH_SOURCE_DIR) + u"/resources/demo/mailchimp-demo-export.zip"_s;
        const QString folder = m_dir.filePath(u"demo"_s);
        MainWindow window(&m_data, [&]() -> Result<std::pair<QString, QString>> {
            auto paths = DemoProject::ensure(folder, bundled);
            if (!paths)
                return paths.error();
            return std::pair{paths->project, paths->exportFile};
        });
        window.show();
        QTest::mouseClick(find<QPushButton>(&window, u"openDemoButton"_s), Qt::LeftButton);
        QVERIFY(window.session());
        QVERIFY(window.windowTitle().contains(u"Northwind"_s));
        AssessmentController *assessment = window.session()->assessment();
        QVERIFY(QTest::qWaitFor([&] { return assessment->state() == AssessmentController::State::Ready; }, 30000));
        QCOMPARE(assessment->inventory()->total, 2500);
        QCOMPARE(assessment->inventory()->dialect, ExportDialect::Mailchimp);
        QVERIFY(find<QLabel>(window.wizard(), u"overviewHeadline"_s)->text().contains(u"2,500 contacts"_s));

        // The demo rehearses against the sandbox inside the application: Mailchimp answers on the
        // Connections step without a key being typed or stored ...
        MigrationWizard *wizard = window.wizard();
        wizard->goToStep(StepId::Connections);
        QVERIFY(window.session()->connections()->usesDemoSandbox());
        QVERIFY(find<QLineEdit>(wizard, u"baseUrlEdit_mailchimp"_s)->text().startsWith(u"http://127.0.0.1:"_s));
        QVERIFY(!find<QPushButton>(wizard, u"saveKeyButton_mailchimp"_s)->isEnabled());
        QTest::mouseClick(find<QPushButton>(wizard, u"testConnectionButton_mailchimp"_s), Qt::LeftButton);
        QLabel *status = find<QLabel>(wizard, u"connectionStatus_mailchimp"_s);
        QVERIFY(QTest::qWaitFor([&] {
            return window.session()->connections()->status(TargetPlatform::Mailchimp).outcome != ConnectionStatus::Outcome::Testing;
        }, 15000));
        QVERIFY2(status->text().contains(u"Connected to Northwind Outdoor Co."_s), qPrintable(status->text()));

        // ... and the Assessment step reads the account through the API, with progress, in the
        // background.
        wizard->goToStep(StepId::Assessment);
        QTest::mouseClick(find<QPushButton>(wizard, u"readApiButton"_s), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return assessment->state() == AssessmentController::State::Running; }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return assessment->state() != AssessmentController::State::Running; }, 60000));
        QVERIFY2(assessment->isApiSource(), qPrintable(assessment->lastError() ? assessment->lastError()->toString() : QString()));
        QVERIFY(assessment->inventory()->account.available);
        QCOMPARE(assessment->inventory()->total, 2500);
        const QString headline = find<QLabel>(wizard, u"overviewHeadline"_s)->text();
        QVERIFY2(headline.contains(u"read through the Mailchimp API"_s), qPrintable(headline));
        QVERIFY2(headline.contains(u"Campaigns: 8 (5 in the last 12 months)"_s), qPrintable(headline));
        QCOMPARE(find<QListWidget>(wizard, u"exportFiles"_s)->item(0)->text(), u"Mailchimp account, through its API"_s);
        grab(wizard, u"assessment-api.png"_s);

        // Field mapping for Brevo: the fields Brevo already has are read from its sandbox.
        QVERIFY(window.session()->plan()->choose(u"brevo"_s, u"rehearsal"_s));
        wizard->goToStep(StepId::FieldMapping);
        FieldMappingController *mapping = window.session()->fieldMapping();
        QCOMPARE(mapping->state(), FieldMappingController::State::Ready);
        QVERIFY(mapping->targetAttributes().isEmpty());
        QTest::mouseClick(find<QPushButton>(wizard, u"readTargetFieldsButton"_s), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !mapping->targetAttributes().isEmpty(); }, 15000));
        QVERIFY2(mapping->targetAttributes().contains(u"FIRSTNAME"_s), qPrintable(mapping->targetAttributes().join(u", "_s)));
        bool firstNameExists = false;
        for (const FieldMappingRow &r : mapping->rows())
            firstNameExists = firstNameExists || (r.targets == QStringList{u"FIRSTNAME"_s} && r.existsOnTarget);
        QVERIFY(firstNameExists);
        grab(wizard, u"fieldmapping-api.png"_s);
    }

    void connectionsPageTestsAgainstTheSandbox()
    {
        MainWindow window(&m_data, {});
        window.resize(1100, 780);
        window.show();
        m_prompts.nextProjectPath = m_dir.filePath(u"Connections.stagecoach"_s);
        window.newProject();
        MigrationWizard *wizard = window.wizard();
        QCOMPARE(wizard->currentStep(), StepId::Connections);
        // No target chosen yet: Mailchimp and both targets.
        QVERIFY(find<QWidget>(wizard, u"connectionBox_mailchimp"_s)->isVisible());
        QVERIFY(find<QWidget>(wizard, u"connectionBox_brevo"_s)->isVisible());
        QVERIFY(find<QWidget>(wizard, u"connectionBox_klaviyo"_s)->isVisible());

        // The key is hidden while typed; the data center shows as it is typed.
        QLineEdit *mailchimpKey = find<QLineEdit>(wizard, u"apiKeyEdit_mailchimp"_s);
        QCOMPARE(mailchimpKey->echoMode(), QLineEdit::Password);
        QLabel *dc = find<QLabel>(wizard, u"dataCenterLabel_mailchimp"_s);
        QTest::keyClicks(mailchimpKey, u"0123456789abcdef"_s);
        QCOMPARE(dc->text(), u"The key should end in its data center, like -us21."_s);
        QTest::keyClicks(mailchimpKey, u"-us21"_s);
        QCOMPARE(dc->text(), u"Data center: us21"_s);
        QPushButton *show = find<QPushButton>(wizard, u"showKeyButton_mailchimp"_s);
        QTest::mouseClick(show, Qt::LeftButton);
        QCOMPARE(mailchimpKey->echoMode(), QLineEdit::Normal);
        QCOMPARE(show->text(), u"Hide"_s);
        QTest::mouseClick(show, Qt::LeftButton);
        QCOMPARE(mailchimpKey->echoMode(), QLineEdit::Password);

        // Brevo against the sandbox: the API address in the advanced box, a typed key, the test.
        const QString key = u"xkeysib-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef-Ab12Cd34Ef56Gh78"_s;
        BrevoSandbox api(key);
        SandboxServer server(api);
        QVERIFY(server.listen() != 0);
        QGroupBox *advanced = find<QGroupBox>(wizard, u"advancedBox_brevo"_s);
        QVERIFY(!advanced->isChecked());
        advanced->setChecked(true);
        QLineEdit *address = find<QLineEdit>(wizard, u"baseUrlEdit_brevo"_s);
        QVERIFY(address->isVisible());
        address->setFocus();
        QTest::keyClicks(address, server.baseUrl().toString() + u"/v3"_s);
        QTest::keyClick(address, Qt::Key_Return);
        QCOMPARE(wizard->currentStep(), StepId::Connections); // Return saves the field, it does not turn the page
        QCOMPARE(window.session()->store()->value(u"connection.brevo.baseUrl"_s).toString(), server.baseUrl().toString() + u"/v3"_s);
        QTest::keyClicks(find<QLineEdit>(wizard, u"apiKeyEdit_brevo"_s), key);
        QTest::mouseClick(find<QPushButton>(wizard, u"testConnectionButton_brevo"_s), Qt::LeftButton);
        QLabel *status = find<QLabel>(wizard, u"connectionStatus_brevo"_s);
        QVERIFY(QTest::qWaitFor([&] {
            return window.session()->connections()->status(TargetPlatform::Brevo).outcome != ConnectionStatus::Outcome::Testing;
        }, 15000));
        grab(wizard, u"connections.png"_s);
        QVERIFY2(status->text().contains(u"Connected to Stagecoach Sandbox"_s), qPrintable(status->text()));
        // The key typed is not in the project file.
        QFile file(window.session()->store()->path());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(key.toUtf8()));
    }

    void dropAddsAndRemoveTakesAway()
    {
        const QString a = TestSupport::writeFile(m_dir.path(), u"subscribed_members_export_d.csv"_s, exportCsv());
        const QString b = TestSupport::writeFile(m_dir.path(), u"unsubscribed_members_export_d.csv"_s,
                                                 "Email Address,First Name,UNSUB_TIME\r\nzed@example.com,Zed,2026-01-01 00:00:00\r\n");
        MainWindow window(&m_data, {});
        window.show();
        m_prompts.nextProjectPath = m_dir.filePath(u"Drop.stagecoach"_s);
        window.newProject();
        AssessmentController *assessment = window.session()->assessment();
        window.wizard()->goToStep(StepId::Assessment);
        QWizardPage *page = window.wizard()->currentPage();

        // Dropping two files from a file manager assesses them together.
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(a), QUrl::fromLocalFile(b)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(page, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(page, &drop);
        QVERIFY(QTest::qWaitFor([&] { return assessment->state() == AssessmentController::State::Ready; }, 20000));
        QCOMPARE(assessment->inventory()->total, 7);
        QListWidget *files = find<QListWidget>(page, u"exportFiles"_s);
        QCOMPARE(files->count(), 2);

        // Removing one assesses the rest again.
        files->setCurrentRow(1);
        QPushButton *remove = find<QPushButton>(page, u"removeFileButton"_s);
        QVERIFY(remove->isEnabled());
        QTest::mouseClick(remove, Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return assessment->state() == AssessmentController::State::Ready && files->count() == 1; }, 20000));
        QCOMPARE(assessment->inventory()->total, 6);
        QCOMPARE(assessment->inventory()->count(ContactStatus::Unsubscribed), 0);

        // Removing the last one forgets the assessment: the step is no longer complete.
        files->setCurrentRow(0);
        QTest::mouseClick(remove, Qt::LeftButton);
        QCOMPARE(assessment->state(), AssessmentController::State::Empty);
        QCOMPARE(files->count(), 0);
        QVERIFY(!find<QAbstractButton>(window.wizard(), u"nextButton"_s)->isEnabled());
    }
};

QTEST_MAIN(tst_Wizard)
#include "tst_wizard.moc"
