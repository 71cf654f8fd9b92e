// The review panel's views: the summary, the differences, the detail pane, the decision.

#include "widgets/reviewpanel.h"

#include "dialogs/prompts.h"
#include "integrity/diffmodel.h"
#include "integrity/reviewreport.h"
#include "transfer/transfercontroller.h"

#include <QComboBox>
#include <QDir>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>

using namespace Qt::StringLiterals;

namespace {

QString statusText(const std::optional<ContactStatus> &s)
{
    return s ? ContactStatuses::displayName(*s) : ReviewPanel::tr("(not on this side)");
}

} // namespace

void ReviewPanel::showDiff()
{
    const std::optional<ReviewDiff> diff = m_review->diff(key());
    m_field->blockSignals(true);
    m_field->clear();
    m_field->addItem(tr("Any field"), -1);
    if (diff && diff->result) {
        const DiffSummary &s = diff->result->summary;
        for (int i = 0; i < s.fields.size(); ++i) {
            const qint64 changed = i < s.changedByField.size() ? s.changedByField.at(i) : 0;
            m_field->addItem(tr("%1 (%2)").arg(s.fields.at(i).name, QLocale().toString(changed)),
                             i);
        }
        m_field->addItem(tr("Status class (%1)").arg(QLocale().toString(s.statusChanged)),
                         DiffModel::kStatusField);
    }
    m_field->blockSignals(false);
    m_model->setResult(diff ? diff->result : nullptr);
    m_model->setFieldFilter(-1);
    if (diff) {
        m_summary->setText(ReviewReport::summaryHtml(IntegrityReview::figures(*diff)));
        m_scope->setText(
            tr("Compared %1.")
                .arg(QLocale().toString(diff->madeAt.toLocalTime(), QLocale::ShortFormat)));
    } else if (m_files) {
        m_summary->setText(tr("Choose two files and compare them: every contact, field by field."));
        m_scope->clear();
    } else {
        m_summary->setText(
            tr("Not compared yet. Compare now reads the target back and compares it with the "
               "backup: every contact this wave and the waves before it wrote, field by field."));
        m_scope->clear();
    }
    updateButtons();
}

void ReviewPanel::showDecisions()
{
    if (m_files)
        return;
    QStringList lines;
    for (const ReviewRecord &r : m_review->reviews(m_ref.id()))
        lines.append(ReviewReport::decisionLine(r).toHtmlEscaped());
    m_history->setText(lines.isEmpty() ? tr("No decision recorded yet.") : lines.join(u"<br>"_s));
}

void ReviewPanel::showDetail()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    m_detail->setRowCount(0);
    if (!current.isValid()) {
        m_detailTitle->setText(tr("Select a difference to see both records."));
        return;
    }
    const Result<DiffDetail> d = m_model->detail(current.row());
    if (!d) {
        m_detailTitle->setText(
            tr("The records could not be read again: %1").arg(d.error().toString()));
        return;
    }
    m_detailTitle->setText(
        tr("<b>%1</b> — %2<br><small>%3 | %4</small>")
            .arg(d->email.toHtmlEscaped(), DiffKinds::displayName(d->kind).toHtmlEscaped(),
                 d->sourceWhere.toHtmlEscaped(), d->targetWhere.toHtmlEscaped()));
    const QColor changed(0xff, 0xe0, 0x82);
    const QColor violation(0xff, 0xcd, 0xd2);
    const auto addRow = [&](const QString &name, const QString &source, const QString &target,
                            bool differs, bool isViolation) {
        const int r = m_detail->rowCount();
        m_detail->insertRow(r);
        const QStringList texts{name, source, target};
        for (int c = 0; c < 3; ++c) {
            auto *item = new QTableWidgetItem(texts.at(c));
            if (differs) {
                item->setBackground(isViolation ? violation : changed);
                QFont f = item->font();
                f.setBold(c > 0);
                item->setFont(f);
            }
            item->setData(Qt::UserRole, differs);
            m_detail->setItem(r, c, item);
        }
    };
    addRow(tr("Status"), statusText(d->sourceStatus), statusText(d->targetStatus), d->statusDiffers,
           d->kind == DiffKind::ConsentViolation);
    for (const DiffFieldDetail &f : d->fields)
        addRow(f.name, f.sourceValue, f.targetValue, f.differs, false);
}

void ReviewPanel::updateButtons()
{
    const bool running = m_review->isRunning();
    const bool mine = running && m_review->runningKey() == key();
    const std::optional<ReviewDiff> diff = m_review->diff(key());
    m_compare->setEnabled(!running);
    m_cancel->setVisible(mine);
    m_progress->setVisible(mine);
    m_export->setEnabled(diff && diff->result && diff->result->rowCount() > 0);
    if (m_files)
        return;
    const std::optional<TransferRun> run = m_transfer->status(m_ref).lastRun;
    const bool approved = run && run->approvedAt.isValid();
    m_approve->setEnabled(!running && diff.has_value() && !approved);
    m_reject->setEnabled(!running && diff.has_value() && !approved);
    m_comment->setEnabled(m_approve->isEnabled());
    if (approved)
        m_approve->setToolTip(tr("Approved by %1.").arg(run->approvedBy));
}

void ReviewPanel::applyKindFilter()
{
    const int kind = m_kind->currentData().toInt();
    m_model->setKindFilter(kind < 0 ? QList<DiffKind>() : QList<DiffKind>{DiffKind(kind)});
}

void ReviewPanel::exportCsv()
{
    const std::shared_ptr<const DiffResult> result = m_model->result();
    if (!result)
        return;
    const QString title = tr("Export Differences");
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString name = (m_files ? tr("differences")
                                  : tr("%1 - differences").arg(m_ref.title()).replace(u':', u'-'))
                         + u".csv"_s;
    const QString path = Prompts::instance().saveFilePath(this, title, QDir(folder).filePath(name),
                                                          tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (const Status s = result->writeCsv(path); !s)
        Prompts::instance().showError(this, title, s.error());
}

void ReviewPanel::decide(bool approve)
{
    const QString who = TransferController::currentUser();
    const QString comment = m_comment->text().trimmed();
    const Status s
        = approve ? m_review->approve(m_ref, who, comment) : m_review->reject(m_ref, who, comment);
    if (!s) {
        m_error->setText(
            (approve ? tr("Not approved: %1") : tr("Not rejected: %1")).arg(s.error().toString()));
        m_error->show();
        return;
    }
    m_error->hide();
    m_comment->clear();
    updateButtons();
}
