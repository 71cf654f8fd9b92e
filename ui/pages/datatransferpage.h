#pragma once

#include <QWizardPage>

class IntegrityReview;
class PlanController;
class ReviewWindow;
class QTableWidget;
class StageRunPanel;
class TransferController;

/**
 * The Data transfer step: wave 0 (the suppressions) and the subscriber waves in a table with
 * their state, contacts, written / rejected and who approved them; the selected wave's
 * StageRunPanel below.
 */
class DataTransferPage : public QWizardPage
{
    Q_OBJECT

public:
    DataTransferPage(TransferController *transfer, PlanController *plan, IntegrityReview *review = nullptr,
                     QWidget *parent = nullptr);

    StageRunPanel *panel() const { return m_panel; }
    /// The window comparing two files, once opened ("Compare two files…").
    ReviewWindow *filesWindow() const { return m_filesWindow; }
    /// Selects a wave's row (0: the suppressions) and shows its panel.
    void selectWave(int wave);

    enum Column { ColStage, ColState, ColContacts, ColWritten, ColRejected, ColApproved, ColumnCount };

protected:
    void showEvent(QShowEvent *event) override;

private:
    void reload();

    TransferController *m_transfer;
    PlanController *m_plan;
    QTableWidget *m_table;
    StageRunPanel *m_panel;
    IntegrityReview *m_review = nullptr;
    ReviewWindow *m_filesWindow = nullptr;
    bool m_reloading = false;
};
