#pragma once

#include <QWizardPage>

class GanttWidget;
class PlanController;
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
    explicit TimelinePage(PlanController *plan, QWidget *parent = nullptr);

    void initializePage() override;

private:
    QWidget *createStagesTab();
    QWidget *createPeopleTab();
    QWidget *createChecklistTab();
    void generate();
    void showTimeline();
    void showStageDetails();
    void saveStageDetails();
    void exportChecklist(const QString &format);
    void showWorkload();
    int currentStageRow() const;

    PlanController *m_plan;
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
