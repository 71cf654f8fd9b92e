#pragma once

#include "core/result.h"

#include <QMainWindow>

#include <functional>
#include <memory>

class MigrationWizard;
struct ReferenceData;
class ProjectSession;
class QMenu;
class QStackedWidget;
class StartPage;

/**
 * The application window: the start page with no project, the migration wizard with one. Owns the
 * open project's session; File menu for New, Open, Open Recent, Save As and Close.
 */
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    /// Returns the demo project's path and the export to assess when it has no assessment yet.
    using DemoProvider = std::function<Result<std::pair<QString, QString>>()>;

    MainWindow(const ReferenceData *data, DemoProvider demoProvider, QWidget *parent = nullptr);
    ~MainWindow() override;

    bool openProject(const QString &path);
    bool openDemo();
    void newProject();
    void saveProjectAs();
    void closeProject();

    ProjectSession *session() const { return m_session.get(); }
    MigrationWizard *wizard() const { return m_wizard; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void showSession(std::unique_ptr<ProjectSession> session);
    void updateTitle();
    void rebuildRecentMenu();
    /// The confirmation asked before closing the project or quitting while a step runs.
    QString busyQuestion(bool quitting) const;
    /// After opening: offers to resume a transfer run that was interrupted (through Prompts).
    void offerResume();
    void reportError(const QString &title, const Error &error);

    const ReferenceData *m_data;
    DemoProvider m_demoProvider;
    std::unique_ptr<ProjectSession> m_session;
    QStackedWidget *m_stack;
    StartPage *m_start;
    MigrationWizard *m_wizard = nullptr;
    QMenu *m_recentMenu = nullptr;
    QAction *m_saveAs = nullptr;
    QAction *m_close = nullptr;
};
