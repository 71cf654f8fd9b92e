#pragma once

#include "integrity/integrityreview.h"

#include <QWidget>

class DiffModel;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QTableWidget;

/**
 * The integrity review of one wave (issue 6): Compare (the wave's scope of the backup against the
 * target read back now), the summary with consent violations first in red, the differences
 * (DiffModel, lazy) filtered by kind, field and text, a detail pane with both records side by side
 * and the changed values highlighted, Export differences as CSV, and Approve / Reject with a
 * comment. The decisions are IntegrityReview's; this panel only shows them.
 */
class ReviewPanel : public QWidget
{
    Q_OBJECT

public:
    ReviewPanel(IntegrityReview *review, TransferController *transfer, QWidget *parent = nullptr);

    void setStage(const StageRef &ref);
    /// On demand: two files (exports or backups) and an optional mapping file, no decision.
    void setFilesMode();
    bool isFilesMode() const { return m_files; }
    StageRef stage() const { return m_ref; }
    DiffModel *model() const { return m_model; }

private:
    /// The comparison this panel shows: the stage's id, or IntegrityReview::kFilesKey.
    QString key() const;
    void browse(QLineEdit *edit, bool mapping);
    void compare();
    void showDiff();
    void showDecisions();
    void showDetail();
    void updateButtons();
    void applyKindFilter();
    void exportCsv();
    void decide(bool approve);

    IntegrityReview *m_review;
    TransferController *m_transfer;
    StageRef m_ref;
    DiffModel *m_model;

    QLabel *m_title;
    QLabel *m_scope;
    QPushButton *m_compare;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_summary;
    QComboBox *m_kind;
    QComboBox *m_field;
    QLineEdit *m_text;
    QPushButton *m_export;
    QLabel *m_shown;
    QTableView *m_table;
    QLabel *m_detailTitle;
    QTableWidget *m_detail;
    QLabel *m_history;
    QLineEdit *m_comment;
    QPushButton *m_approve;
    QPushButton *m_reject;
    QLabel *m_error;
    bool m_files = false;
    QWidget *m_filesBox;
    QLineEdit *m_sourceFile;
    QLineEdit *m_targetFile;
    QLineEdit *m_mappingFile;
    QWidget *m_decisionBox;
};
