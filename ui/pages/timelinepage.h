#pragma once

#include <QPointer>
#include <QWizardPage>

class GanttWidget;
class PlanController;
class ProjectStore;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableView;
class QTableWidget;
class QTimer;

/**
 * Timeline: the stages generated from the assessment, their dates, owners, dependencies and
 * criteria (all editable), the people, the Gantt chart and the checklist with its exports.
 */
class TimelinePage : public QWizardPage
{
    Q_OBJECT

public:
    TimelinePage(PlanController *plan, ProjectStore *store, QWidget *parent = nullptr);
    ~TimelinePage() override;

    void initializePage() override;

private:
    QWidget *createStagesTab();
    QWidget *createPeopleTab();
    QWidget *createChecklistTab();
    void generate();
    void showTimeline();
    void showStageDetails();
    void saveStageDetails();
    void flushDetails();
    void exportChecklist(const QString &format);
    void showWorkload();
    int currentStageRow() const;

protected:
    void hideEvent(QHideEvent *event) override;

private:

    QPointer<PlanController> m_plan; // the session may go first when a project closes
    ProjectStore *m_store;
    QString m_detailsKey;             ///< the stage the criteria editors show
    QPushButton *m_unpin;
    QDateEdit *m_start;
    QLineEdit *m_owner;
    QPushButton *m_generate;
    QLabel *m_status;
    QTabWidget *m_tabs;
    GanttWidget *m_gantt;
    QTableView *m_stages;
    QPlainTextEdit *m_entry;
    QPlainTextEdit *m_exit;
    QListWidget *m_depends;
    QLabel *m_basis;
    QTableView *m_people;
    QTableWidget *m_workload;
    QTableView *m_checklist;
    QComboBox *m_taskStage;
    QTimer *m_saveDetails;
    bool m_loadingDetails = false;
};
