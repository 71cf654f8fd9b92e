#pragma once

#include "transfer/transferconfig.h"

#include <QDialog>

class IntegrityReview;
class ReviewPanel;
class TransferController;

/**
 * The integrity review of a wave in a window of its own, opened from the wave's stage panel
 * ("Review integrity…"). Not modal: the manager can keep the stage's progress and log in view,
 * and the differences table gets the room a million rows want.
 */
class ReviewWindow : public QDialog
{
    Q_OBJECT

public:
    ReviewWindow(IntegrityReview *review, TransferController *transfer, QWidget *parent = nullptr);
    void setStage(const StageRef &ref);
    /// Two files compared on demand.
    void setFilesMode();
    ReviewPanel *panel() const { return m_panel; }

private:
    ReviewPanel *m_panel;
};
