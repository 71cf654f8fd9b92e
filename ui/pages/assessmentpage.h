#pragma once

#include <QWizardPage>

class AssessmentController;
class ConnectionController;
class EngagementPanel;
class OverviewPanel;
class PlatformCatalog;
class ProjectStore;
class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableView;
class QWidget;

/**
 * Step 1: the user drops or picks the current platform's export; the assessment runs in the
 * background with progress and Cancel; the inventory, its listings and risks are shown in tabs,
 * next to the assets entered by hand. Complete once an assessment is stored.
 */
class AssessmentPage : public QWizardPage
{
    Q_OBJECT

public:
    /// `connections` gives the key for reading the account through its API; without it the page
    /// works from export files only.
    AssessmentPage(AssessmentController *controller, ProjectStore *store, const PlatformCatalog *catalog,
                   ConnectionController *connections = nullptr, QWidget *parent = nullptr);

    bool isComplete() const override;

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void addFiles();
    void readFromApi();
    void showInventory();
    void showRunning(bool running);
    void showError(const QString &text);
    QWidget *createSourceBox();
    QTableView *createTable(const QString &name);

    AssessmentController *m_controller;
    ProjectStore *m_store;
    ConnectionController *m_connections;
    QPushButton *m_readApi = nullptr;
    QListWidget *m_files;
    QPushButton *m_add;
    QPushButton *m_remove;
    QPushButton *m_reassess;
    QComboBox *m_target;
    QWidget *m_progressRow;
    QProgressBar *m_progress;
    QLabel *m_progressText;
    QPushButton *m_cancel;
    QLabel *m_error;
    QTabWidget *m_tabs;
    OverviewPanel *m_overview;
    EngagementPanel *m_engagement;
};
