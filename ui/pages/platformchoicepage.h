#pragma once

#include <QWizardPage>

class PlanController;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QTableView;

/** Platform choice: the weighted scoring matrix, the choice and its reasons. */
class PlatformChoicePage : public QWizardPage
{
    Q_OBJECT

public:
    explicit PlatformChoicePage(PlanController *plan, QWidget *parent = nullptr);

    void initializePage() override;

private:
    void fillCandidates();
    void showChoice();
    void recordChoice();

    PlanController *m_plan;
    QTableView *m_matrix;
    QComboBox *m_candidates;
    QPlainTextEdit *m_reasons;
    QLabel *m_decision;
};
