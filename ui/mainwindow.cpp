#include "mainwindow.h"

#include "assessment/assessmentcontroller.h"
#include "dialogs/prompts.h"
#include "plan/plancontroller.h"
#include "project/projectsession.h"
#include "startpage.h"
#include "store/projectstore.h"
#include "store/recentprojects.h"
#include "transfer/transfercontroller.h"
#include "wizard/migrationwizard.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>

MainWindow::MainWindow(const ReferenceData *data, DemoProvider demoProvider, QWidget *parent)
    : QMainWindow(parent), m_data(data), m_demoProvider(std::move(demoProvider))
{
    setObjectName(QStringLiteral("mainWindow"));
    resize(1180, 780);
    m_stack = new QStackedWidget(this);
    m_start = new StartPage(m_stack);
    m_stack->addWidget(m_start);
    setCentralWidget(m_stack);
    createMenus();

    connect(m_start, &StartPage::newProjectRequested, this, &MainWindow::newProject);
    connect(m_start, &StartPage::openProjectRequested, this, [this] {
        const QString path = Prompts::instance().openProjectPath(
            this, QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation));
        if (!path.isEmpty())
            openProject(path);
    });
    connect(m_start, &StartPage::demoRequested, this, &MainWindow::openDemo);
    connect(m_start, &StartPage::recentRequested, this, &MainWindow::openProject);
    updateTitle();
}

MainWindow::~MainWindow()
{
    // The wizard's pages use the session: remove them first.
    delete m_wizard;
    m_wizard = nullptr;
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newAction = file->addAction(tr("&New Migration Project..."), this, &MainWindow::newProject);
    newAction->setShortcut(QKeySequence::New);
    newAction->setObjectName(QStringLiteral("actionNew"));
    QAction *open = file->addAction(tr("&Open..."), this, [this] {
        const QString folder = m_session ? QFileInfo(m_session->store()->path()).absolutePath()
                                         : QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
        const QString path = Prompts::instance().openProjectPath(this, folder);
        if (!path.isEmpty())
            openProject(path);
    });
    open->setShortcut(QKeySequence::Open);
    open->setObjectName(QStringLiteral("actionOpen"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("menuRecent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    file->addAction(tr("Open the &Demo Project"), this, &MainWindow::openDemo)->setObjectName(QStringLiteral("actionDemo"));
    file->addSeparator();
    m_saveAs = file->addAction(tr("Save &As..."), this, &MainWindow::saveProjectAs);
    m_saveAs->setShortcut(QKeySequence::SaveAs);
    m_saveAs->setObjectName(QStringLiteral("actionSaveAs"));
    m_close = file->addAction(tr("&Close Project"), this, &MainWindow::closeProject);
    m_close->setShortcut(QKeySequence::Close);
    m_close->setObjectName(QStringLiteral("actionClose"));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Stagecoach"), this, [this] {
        QMessageBox::about(this, tr("About Stagecoach"),
                           tr("<h3>Stagecoach %1</h3><p>A staged migration of your email marketing from one "
                              "platform to another.</p><p>Every change is saved in the project file as it "
                              "is made.</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = RecentProjects::list();
    for (const QString &path : recent)
        m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openProject(path); })->setToolTip(path);
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("No recent projects"))->setEnabled(false);
}

void MainWindow::reportError(const QString &title, const Error &error)
{
    Prompts::instance().showError(this, title, error);
}

void MainWindow::newProject()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = Prompts::instance().newProjectPath(this, QDir(folder).filePath(tr("Migration.stagecoach")));
    if (path.isEmpty())
        return;
    if (m_session && QFileInfo(path).absoluteFilePath() == m_session->store()->path()) {
        reportError(tr("New Project"), Error{tr("this project is open; choose another name."), QFileInfo(path).fileName()});
        return;
    }
    Result<std::unique_ptr<ProjectStore>> store = ProjectStore::create(path, QFileInfo(path).completeBaseName());
    if (!store) {
        reportError(tr("The project could not be created"), store.error());
        return;
    }
    RecentProjects::add(path);
    showSession(std::make_unique<ProjectSession>(std::move(store.value()), m_data));
}

bool MainWindow::openProject(const QString &path)
{
    if (m_session && QFileInfo(path).absoluteFilePath() == m_session->store()->path())
        return true;
    Result<std::unique_ptr<ProjectStore>> store = ProjectStore::open(path);
    if (!store) {
        reportError(tr("The project could not be opened"), store.error());
        if (!QFileInfo::exists(path))
            RecentProjects::remove(path);
        m_start->refreshRecent();
        return false;
    }
    RecentProjects::add(path);
    showSession(std::make_unique<ProjectSession>(std::move(store.value()), m_data));
    offerResume();
    return true;
}

QString MainWindow::busyQuestion(bool quitting) const
{
    TransferController *transfer = m_session->transfer();
    if (transfer->isRunning()) {
        const QString stage = transfer->runningStage() ? transfer->runningStage()->title() : QString();
        return quitting ? tr("A transfer stage (%1) is running. It will stop safely after the current batch "
                             "and can be resumed. Quit anyway?").arg(stage)
                        : tr("A transfer stage (%1) is running. It will stop safely after the current batch "
                             "and can be resumed. Close the project anyway?").arg(stage);
    }
    return quitting ? tr("The assessment is still running. Cancel it and quit?")
                    : tr("The assessment is still running. Cancel it and close the project?");
}

void MainWindow::offerResume()
{
    TransferController *transfer = m_session->transfer();
    const QList<TransferRun> interrupted = transfer->interruptedRuns();
    if (interrupted.isEmpty() || transfer->isRunning())
        return;
    const TransferRun &run = interrupted.constLast();
    const StageRef ref{run.stage, run.wave};
    const QString question
        = tr("The last run of %1 was interrupted (started %2) before it ended. What it wrote is in the "
             "journal: resuming continues where it stopped, without writing anyone twice.\n\nResume it now?")
              .arg(ref.title(), QLocale().toString(run.startedAt.toLocalTime(), QLocale::ShortFormat));
    if (!Prompts::instance().confirm(this, tr("Resume Interrupted Run"), question))
        return;
    m_wizard->showStage(ref);
    transfer->start(ref);
}

bool MainWindow::openDemo()
{
    if (!m_demoProvider)
        return false;
    Result<std::pair<QString, QString>> demo = m_demoProvider();
    if (!demo) {
        reportError(tr("The demo project could not be prepared"), demo.error());
        return false;
    }
    if (!openProject(demo->first))
        return false;
    // First use (or a first assessment that never finished): assess the bundled export.
    AssessmentController *assessment = m_session->assessment();
    if (!assessment->inventory() && !assessment->isRunning())
        assessment->addFiles({demo->second});
    return true;
}

void MainWindow::saveProjectAs()
{
    if (!m_session)
        return;
    const QString path = Prompts::instance().saveAsPath(this, m_session->store()->path());
    if (path.isEmpty())
        return;
    if (m_session->isBusy()) {
        reportError(tr("Save As"), Error{tr("a step is still running."), QString(), tr("Wait for it to finish or cancel it, then save again.")});
        return;
    }
    if (Status s = m_session->store()->saveAs(path); !s) {
        reportError(tr("The project could not be saved"), s.error());
        return;
    }
    RecentProjects::add(path);
    updateTitle();
}

void MainWindow::closeProject()
{
    if (!m_session)
        return;
    if (m_session->isBusy() && !Prompts::instance().confirm(this, tr("Close Project"), busyQuestion(false)))
        return;
    m_stack->setCurrentWidget(m_start);
    delete m_wizard;
    m_wizard = nullptr;
    m_session.reset();
    m_start->refreshRecent();
    updateTitle();
}

void MainWindow::showSession(std::unique_ptr<ProjectSession> session)
{
    delete m_wizard;
    m_wizard = nullptr;
    m_session = std::move(session);
    m_wizard = new MigrationWizard(m_session.get(), m_stack);
    m_stack->addWidget(m_wizard);
    m_stack->setCurrentWidget(m_wizard);
    connect(m_session->assessment(), &AssessmentController::failed, this, [this](const Error &e) {
        statusBar()->showMessage(e.toString(), 15000);
    });
    // A planning change that could not be saved is undone on the page; the user must know why.
    connect(m_session->plan(), &PlanController::failed, this, [this](const Error &e) {
        Prompts::instance().showError(this, tr("Change not saved"), e);
    });
    updateTitle();
}

void MainWindow::updateTitle()
{
    const bool open = m_session != nullptr;
    m_saveAs->setEnabled(open);
    m_close->setEnabled(open);
    if (!open) {
        setWindowTitle(tr("Stagecoach"));
        return;
    }
    const QString file = QFileInfo(m_session->store()->path()).fileName();
    setWindowTitle(tr("%1 \u2014 %2 \u2014 Stagecoach").arg(m_session->store()->name(), file));
    setWindowFilePath(m_session->store()->path());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_session && m_session->isBusy()
        && !Prompts::instance().confirm(this, tr("Quit Stagecoach"), busyQuestion(true))) {
        event->ignore();
        return;
    }
    event->accept();
}
