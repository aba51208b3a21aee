// Posts JSON (never a form encoding), which is what lets the API refuse cross-site posts.
const form = document.getElementById('sign-in-form');
const error = document.getElementById('sign-in-error');
// Not form.name: that is the form's own name attribute.
const nameInput = document.getElementById('name');
const passwordInput = document.getElementById('password');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.hidden = true;
  const button = form.querySelector('button');
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
    const body = await response.json().catch(() => ({}));
    error.textContent = body.error?.message ?? '登录失败,请重试';
    error.hidden = false;
    passwordInput.value = '';
    passwordInput.focus();
  } finally {
    button.disabled = false;
  }
});
