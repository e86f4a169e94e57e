// plainspoken workbench: a little hand-written script. Pages work without it; it adds live
// job progress, confirmation before deleting, and Escape to close a finding's explanation.
"use strict";

function followJob(box) {
  const id = box.dataset.job;
  const field = (name) => box.querySelector(`[data-field="${name}"]`);
  const bar = box.querySelector("progress");
  async function poll() {
    let job;
    try {
      const response = await fetch(`/api/jobs/${id}`, { headers: { Accept: "application/json" } });
      if (!response.ok) { setTimeout(poll, 2000); return; }
      job = await response.json();
    } catch (err) { setTimeout(poll, 2000); return; }
    const percent = Math.round(job.progress * 1000) / 10;
    bar.value = percent;
    bar.textContent = `${Math.round(percent)}%`;
    field("percent").textContent = `${Math.round(percent)}%`;
    const status = field("status");
    status.textContent = job.status;
    status.className = `status ${job.status}`;
    field("message").textContent = job.message;
    if (job.error) { field("error").textContent = job.error; field("error").hidden = false; }
    if (["done", "failed", "cancelled", "interrupted"].includes(job.status)) {
      box.dataset.finished = "true";
      const cancel = field("cancel");
      if (cancel) cancel.hidden = true;
      if (job.status === "done") window.location.reload();
      return;
    }
    setTimeout(poll, 500);
  }
  poll();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-job]").forEach((box) => {
    if (box.dataset.finished !== "true") followJob(box);
  });
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  document.querySelectorAll("[data-back]").forEach((link) => {
    link.addEventListener("click", (event) => {
      if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
    });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && document.activeElement?.matches("mark.finding")) {
      document.activeElement.blur();
    }
  });
});
