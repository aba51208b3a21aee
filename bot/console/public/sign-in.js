// @ts-check
// Posts JSON (never a form encoding), which is what lets the API refuse cross-site posts.
// The elements of sign-in.html (this page loads nothing else).
const form = /** @type {HTMLFormElement} */ (document.getElementById('sign-in-form'));
const error = /** @type {HTMLElement} */ (document.getElementById('sign-in-error'));
// Not form.name: that is the form's own name attribute.
const nameInput = /** @type {HTMLInputElement} */ (document.getElementById('name'));
const passwordInput = /** @type {HTMLInputElement} */ (document.getElementById('password'));

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.hidden = true;
  const button = /** @type {HTMLButtonElement} */ (form.querySelector('button'));
  button.disabled = true;
  try {
    const response = await fetch('api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: nameInput.value, password: passwordInput.value }),
    });
    if (response.ok) {
      location.replace('./' + location.hash);
      return;
    }
    /** @type {{ error?: { code: import('../console-request-error.ts').ConsoleErrorCode, message: string } }} */
    const body = await response.json().catch(() => ({}));
    error.textContent = body.error?.message ?? '登录失败,请重试';
    error.hidden = false;
    passwordInput.value = '';
    passwordInput.focus();
  } catch {
    // fetch rejects when the server cannot be reached: said here, not left as an unhandled rejection.
    error.textContent = '无法连接服务器,请检查网络后重试';
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
});
