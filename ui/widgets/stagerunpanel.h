#pragma once

#include "transfer/transfercontroller.h"

#include <QWidget>

class ErrorReportModel;
class IntegrityReview;
class ReviewWindow;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableView;
class ThroughputChart;

/**
 * One transfer stage as the execution steps show it: its journaled state and approval, Run / Dry
 * run / Pause / Resume / Cancel, the live progress with a throughput chart and the log, what a dry
 * run found, and the last run's error report with its CSV export.
 *
 * Everything comes from the session's TransferController, so a stage keeps running when the page
 * is left; the panel follows whatever the controller reports for its stage, and re-reads the
 * journal on journalChanged() and finished() (never on a timer).
 */
class StageRunPanel : public QWidget
{
    Q_OBJECT

public:
    explicit StageRunPanel(TransferController *transfer, QWidget *parent = nullptr);

    void setStage(const StageRef &ref);
    StageRef stage() const { return m_ref; }
    /// Offers the integrity review of the waves ("Review integrity…"); none without it.
    void setReview(IntegrityReview *review);
    /// The review window, once opened.
    ReviewWindow *reviewWindow() const { return m_reviewWindow; }
    /// Re-reads the journal-derived state; full: also whether the stage may start (which verifies
    /// the backup), else only the stage's runs.
    void refresh(bool full = true);

Q_SIGNALS:
    /// The stage's journaled state changed (a run started or ended, an approval).
    void stageChanged();

protected:
    void showEvent(QShowEvent *event) override;

private:
    bool isMine() const;
    void onProgress(const TransferProgress &p);
    void onFinished(const StageOutcome &outcome);
    void showProgress(const TransferProgress &p);
    /// The state, approval and buttons from m_status (no journal read).
    void showState();
    static QString when(const QDateTime &t);
    static QString duration(qint64 seconds); ///< h:mm:ss, seconds under a minute
    static QString dryRunHtml(const StageOutcome &outcome, const QStringList &lines);
    void updateButtons();
    void approve();
    void exportErrors();
    void openReview();
    void startRun(bool dryRun);

    TransferController *m_transfer;
    StageRef m_ref;
    StageStatus m_status;
    int m_checkRequest = 0;
    bool m_checking = false; ///< whether the stage may start is being read in the background
    bool m_inDryRun = false;
    QStringList m_dryRunLines; ///< the running dry run's log, for its result

    QLabel *m_title;
    QLabel *m_state;
    QLabel *m_blocked;
    QPushButton *m_run;
    QPushButton *m_dryRun;
    QPushButton *m_pause;
    QPushButton *m_resume;
    QPushButton *m_cancel;
    QPushButton *m_retry;
    QProgressBar *m_bar;
    QLabel *m_progressText;
    ThroughputChart *m_chart;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_log;
    QLabel *m_dryRunResult;
    QTableView *m_errorsView;
    ErrorReportModel *m_errors;
    QPushButton *m_export;
    QLabel *m_approval;
    QLineEdit *m_comment;
    QPushButton *m_approve;
    QLabel *m_approveError;
    QPushButton *m_reviewButton;
    IntegrityReview *m_review = nullptr;
    ReviewWindow *m_reviewWindow = nullptr;
};
