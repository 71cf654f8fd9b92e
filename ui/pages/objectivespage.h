#pragma once

#include <QWizardPage>

class PlanController;
class QTableView;

/** Objectives: common goals to pick and custom ones, each with a measurable KPI and threshold. */
class ObjectivesPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit ObjectivesPage(PlanController *plan, QWidget *parent = nullptr);

private:
    void addCustom();
    void removeSelected();

    PlanController *m_plan;
    QTableView *m_table;
};
